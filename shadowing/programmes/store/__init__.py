"""The bridge between the pure pairing engine (`shadowing.pairing`) and the database.

- `problem`: load a programme into the engine's `Problem`;
- `checks`: the hard rules a hand-made visit would break;
- `plans`: store the engine's `Plan` as pairings, changing only what changed;
- `runs`: a `PairingRun`, queued, executed by the worker and reported.
"""
