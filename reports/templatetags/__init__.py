"""Template helpers of the reports: report_tables (a table's figures beside their labels)."""
