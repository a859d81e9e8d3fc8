//! Work-around for sqlx 0.9.0, which stopped setting `TCP_NODELAY` on its sockets
//! (launchbadge/sqlx#4335; fixed upstream in #4336, not yet released). Without it, Nagle's
//! algorithm and the server's delayed ACK stall many statements by 40 ms: a 100,000-row batch
//! over TCP to a local PostgreSQL took 8.0 s instead of 1.9 s (measured; the Unix socket never
//! stalled). Delete this file when sqlx sets the option again.
//!
//! sqlx gives no access to its socket, so after every new database connection every TCP socket
//! of this process gets the option — harmless for the others (hyper's sockets want it too).

use std::os::fd::{BorrowedFd, RawFd};

/// Sets `TCP_NODELAY` on every TCP socket this process has open. Linux only; elsewhere a no-op.
pub fn set_on_all_tcp_sockets() {
    let Ok(fds) = std::fs::read_dir("/proc/self/fd") else {
        return;
    };
    for entry in fds.flatten() {
        let is_socket = std::fs::read_link(entry.path())
            .is_ok_and(|target| target.to_string_lossy().starts_with("socket:"));
        let Some(fd) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<RawFd>().ok())
        else {
            continue;
        };
        if !is_socket {
            continue;
        }
        // SAFETY: the descriptor is only borrowed for the three system calls below. Were it
        // closed (or reused) meanwhile, they fail or set an option that is harmless on any
        // stream socket; nothing is read from or written to it.
        let fd = unsafe { BorrowedFd::borrow_raw(fd) };
        let socket = socket2::SockRef::from(&fd);
        let tcp = socket.r#type().is_ok_and(|t| t == socket2::Type::STREAM)
            && socket
                .local_addr()
                .is_ok_and(|a| a.is_ipv4() || a.is_ipv6());
        if tcp {
            let _ = socket.set_tcp_nodelay(true);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sets_the_option_on_this_process_tcp_sockets() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        client.set_nodelay(false).unwrap();
        assert!(!client.nodelay().unwrap());
        super::set_on_all_tcp_sockets();
        assert!(client.nodelay().unwrap());
    }
}
