"""The debriefs pages: the executive's debrief and its autosave, the agent's barrier form, and
the coordinator's completion view and barrier reports. Views only adapt: selectors read,
services write, `rules` decide."""
