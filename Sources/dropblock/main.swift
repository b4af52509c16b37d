// The `dropblock` executable: parse, run, and turn every error into one line and an exit status.
Entry.main()
