//! What this process can learn about itself from `/proc` and `getrlimit`.

use std::io::{Read, Seek, SeekFrom};
use std::time::{Duration, Instant};

/// Reads `VmRSS` from `/proc/self/status`, through a file opened once: a server out of
/// descriptors can still sample.
#[derive(Debug)]
pub struct Rss(std::fs::File);

impl Rss {
    /// Opens `/proc/self/status`.
    pub fn open() -> Rss {
        Rss(std::fs::File::open("/proc/self/status").expect("/proc/self/status"))
    }

    /// Resident set size now, in kB.
    pub fn kb(&mut self) -> u64 {
        let mut status = String::new();
        self.0
            .seek(SeekFrom::Start(0))
            .expect("rewind /proc/self/status");
        self.0
            .read_to_string(&mut status)
            .expect("read /proc/self/status");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kb| kb.parse().ok())
            .expect("VmRSS in /proc/self/status")
    }
}

/// Open descriptors, counted in `/proc/self/fd` (less the one reading the directory).
pub fn open_fds() -> usize {
    let entries = std::fs::read_dir("/proc/self/fd").expect("/proc/self/fd");
    entries.count() - 1
}

/// Threads of this process, counted in `/proc/self/task`.
pub fn threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .expect("/proc/self/task")
        .count()
}

/// Waits (at most `limit`) until this process is down to its main thread; returns whether it is.
pub fn wait_for_single_thread(limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while threads() > 1 {
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    true
}

/// Sets the soft `RLIMIT_NOFILE` to `wanted` (or to the hard limit when `None`) and prints
/// `nofile <soft before> <soft after> <hard>`.
pub fn set_nofile(wanted: Option<u64>) {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is a valid, writable rlimit for the call.
    let got = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    assert_eq!(got, 0, "getrlimit: {}", std::io::Error::last_os_error());
    let before = limit.rlim_cur;
    limit.rlim_cur = wanted.map_or(limit.rlim_max, |n| n.min(limit.rlim_max));
    // SAFETY: `limit` is a valid rlimit; lowering or raising the soft limit up to the hard one
    // needs no privilege.
    let set = unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) };
    assert_eq!(set, 0, "setrlimit: {}", std::io::Error::last_os_error());
    println!("nofile {before} {} {}", limit.rlim_cur, limit.rlim_max);
}
