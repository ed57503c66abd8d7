"""Stories from the front line: moments an executive marks in a debrief, the agent's consent to
be named, the sponsor's weekly digest, and the "you said, we did" page."""
