"""The two availability files: their names and the columns each must hold."""

SHIFTS_FILE = "shifts.csv"
AVAILABILITY_FILE = "availability.csv"
FILE_NAMES = (SHIFTS_FILE, AVAILABILITY_FILE)
SHIFT_COLUMNS = ("agent_email", "date", "start", "end")
AVAILABILITY_COLUMNS = ("executive_email", "date")
