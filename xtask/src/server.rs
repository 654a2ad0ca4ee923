//! A server process started for a measurement and stopped when dropped.

use std::process::{Child, Command};
use std::time::Duration;

/// A running server; dropping it kills it and reaps it.
pub struct Server(Child);

impl Server {
    pub fn start(command: &mut Command) -> Result<Server, String> {
        command
            .spawn()
            .map(Server)
            .map_err(|e| format!("{:?}: {e}", command.get_program()))
    }

    /// The process id.
    pub fn id(&self) -> u32 {
        self.0.id()
    }

    /// Sends SIGINT (strace then detaches and prints its summary) and waits for the exit.
    pub fn interrupt(mut self) -> Result<(), String> {
        let pid = self.0.id().to_string();
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .map_err(|e| format!("kill: {e}"))?;
        self.0.wait().map_err(|e| format!("wait: {e}"))?;
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits until something accepts TCP connections on `addr`.
pub fn wait_for(addr: &str) -> Result<(), String> {
    for _ in 0..200 {
        if std::net::TcpStream::connect(addr).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("server on {addr} did not start"))
}
