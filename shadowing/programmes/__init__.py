"""Programmes: their lifecycle, the availability import, pairings' state, the pairings export.

Import direction: views, API, commands and tasks -> `services` (writes) and `selectors`
(reads) -> `shadowing.models`. Nothing here imports a view or the API; the pure pairing engine
(`shadowing.pairing`) is reached only through `shadowing.programmes.store`.
"""
