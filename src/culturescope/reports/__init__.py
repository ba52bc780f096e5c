"""What leaves CultureScope: charts, PDF and Excel scorecards, response templates and
printable questionnaires. Qt-free: the GUI and the CLI call the same functions."""
