//! TCP echo on loopback: client and server on the same runtime, eddy against Tokio.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use eddy_benches::{eddy_runtime, group, tokio_runtime};

const CONNECTIONS: usize = 100;
const MESSAGES: usize = 1_000;

/// `CONNECTIONS` clients each send `MESSAGES` messages of `$size` bytes and await each echo.
macro_rules! tcp_echo {
    ($krate:ident, $rt:expr, $size:expr, $b:expr) => {{
        use $krate::io::{AsyncReadExt, AsyncWriteExt};
        let rt = $rt;
        let size: usize = $size;
        let (listener, addr) = rt.block_on(async {
            let listener = $krate::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            (listener, addr)
        });
        rt.spawn(async move {
            loop {
                let (mut socket, _) = listener.accept().await.unwrap();
                socket.set_nodelay(true).unwrap();
                $krate::spawn(async move {
                    let mut buf = vec![0u8; 64 * 1024];
                    loop {
                        match socket.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => socket.write_all(&buf[..n]).await.unwrap(),
                        }
                    }
                });
            }
        });
        $b.iter(|| {
            rt.block_on(async {
                let clients: Vec<_> = (0..CONNECTIONS)
                    .map(|_| {
                        $krate::spawn(async move {
                            let mut stream = $krate::net::TcpStream::connect(addr).await.unwrap();
                            stream.set_nodelay(true).unwrap();
                            let message = vec![7u8; size];
                            let mut echo = vec![0u8; size];
                            for _ in 0..MESSAGES {
                                stream.write_all(&message).await.unwrap();
                                stream.read_exact(&mut echo).await.unwrap();
                            }
                        })
                    })
                    .collect();
                for client in clients {
                    client.await.unwrap();
                }
            })
        })
    }};
}

fn benches(c: &mut Criterion) {
    for workers in [0, 2] {
        let section = if workers == 0 {
            "tcp echo, current-thread".to_owned()
        } else {
            format!("tcp echo, {workers} workers")
        };
        for (label, size) in [("64 B", 64), ("16 KiB", 16 * 1024)] {
            let mut g = group(
                c,
                &section,
                &format!("100 connections x 1000 messages of {label}"),
            );
            g.sample_size(10);
            g.throughput(Throughput::Elements((CONNECTIONS * MESSAGES) as u64));
            g.bench_function("eddy", |b| tcp_echo!(eddy, eddy_runtime(workers), size, b));
            g.bench_function("tokio", |b| {
                tcp_echo!(tokio, tokio_runtime(workers), size, b)
            });
            g.finish();
        }
    }
}

criterion_group! {
    name = net;
    config = eddy_benches::criterion();
    targets = benches
}
criterion_main!(net);
