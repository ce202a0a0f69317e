// Run by ./glassbox shell before anything else (after JShell's DEFAULT imports): the engine's packages and
// the helpers of glassbox.shell.Shell, then the banner (left out with --load, so a script's output is its own).
import glassbox.tensor.*;
import glassbox.layers.*;
import glassbox.model.*;
import glassbox.loss.*;
import glassbox.optim.*;
import glassbox.train.*;
import glassbox.data.Dataset;
import static glassbox.shell.Shell.*;
if (!Boolean.getBoolean("glassbox.shell.quiet")) System.out.println(banner());
