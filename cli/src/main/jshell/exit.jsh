// Loaded after the script of ./glassbox shell --load FILE.jsh, so the shell ends with the script.
/exit
