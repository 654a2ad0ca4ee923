// Runs a command, streams its standard output line by line as it comes, and reports how the
// command ended.
//
// `cargo run --example subprocess -- ls -l /` runs `ls -l /`; with no arguments it runs a small
// shell loop that prints a line every 100 ms, so the streaming is visible.

use eddy::io::{AsyncBufReadExt, BufReader};
use eddy::process::Command;
use std::io;
use std::process::Stdio;

#[eddy::main]
async fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (program, args) = match args.next() {
        Some(program) => (program, args.collect()),
        None => (
            "sh".to_string(),
            vec![
                "-c".to_string(),
                "for i in 1 2 3 4 5; do echo \"line $i\"; sleep 0.1; done".to_string(),
            ],
        ),
    };

    let mut child = Command::new(&program)
        .args(&args)
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let stdout = child.stdout.take().expect("stdout was piped");
    let mut lines = BufReader::new(stdout).lines();
    let mut count = 0;
    while let Some(line) = lines.next_line().await? {
        count += 1;
        println!("{count:>4} | {line}");
    }

    let status = child.wait().await?;
    match status.code() {
        Some(code) => println!("`{program}` exited with code {code} after {count} line(s)"),
        None => println!("`{program}` was ended by a signal ({status}) after {count} line(s)"),
    }
    Ok(())
}
