//! Starting a process and turning a failure into a message.

use std::process::Command;

/// A command line to run, echoed before it runs.
pub struct Cmd {
    command: Command,
    shown: String,
}

/// `cargo` with the given arguments.
pub fn cargo(args: &[&str]) -> Cmd {
    Cmd::new(&std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())).args(args)
}

impl Cmd {
    pub fn new(program: &str) -> Cmd {
        Cmd {
            command: Command::new(program),
            shown: program.rsplit('/').next().unwrap_or(program).to_owned(),
        }
    }

    pub fn args(mut self, args: &[&str]) -> Cmd {
        for arg in args {
            self.shown.push(' ');
            self.shown.push_str(arg);
        }
        self.command.args(args);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Cmd {
        self.shown = format!("{key}={value} {}", self.shown);
        self.command.env(key, value);
        self
    }

    /// Runs the command, inheriting stdio; an unsuccessful exit is an error.
    pub fn run(mut self) -> Result<(), String> {
        eprintln!("$ {}", self.shown);
        let status = self
            .command
            .status()
            .map_err(|error| format!("could not start `{}`: {error}", self.shown))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", self.shown))
        }
    }

    /// Runs the command and returns its standard output.
    pub fn output(mut self) -> Result<String, String> {
        eprintln!("$ {}", self.shown);
        let output = self
            .command
            .output()
            .map_err(|error| format!("could not start `{}`: {error}", self.shown))?;
        if !output.status.success() {
            return Err(format!(
                "`{}` failed ({}):\n{}",
                self.shown,
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        String::from_utf8(output.stdout).map_err(|error| error.to_string())
    }
}
