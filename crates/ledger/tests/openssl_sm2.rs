//! An independent oracle for signed tree heads: OpenSSL's SM2 checks our signatures with our
//! PEM public key, and signs with our PKCS#8 private key in a way our verifier accepts.

use std::process::Command;
use xinrong_ledger::{LedgerKey, SM2_DEFAULT_ID, head_message, leaf_hash};

fn openssl(args: &[&str]) -> std::process::Output {
    Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl")
}

#[test]
fn openssl_agrees_with_our_sm2_signatures() {
    let dir = std::env::temp_dir().join(format!("xr-sm2-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    let key = LedgerKey::generate();
    let root = leaf_hash(b"oracle");
    let (size, ts) = (42u64, 1_764_032_400_000u64);
    std::fs::write(path("pub.pem"), key.public_key().to_pem()).unwrap();
    std::fs::write(path("key.pem"), key.to_pkcs8_pem()).unwrap();
    std::fs::write(path("msg"), head_message(size, &root, ts)).unwrap();
    let sig = key.sign_head(size, &root, ts);
    std::fs::write(path("sig.der"), der_of(&sig)).unwrap();
    let distid = format!("distid:{SM2_DEFAULT_ID}");
    let verify = |sigfile: &str| {
        openssl(&[
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            &path("pub.pem"),
            "-rawin",
            "-digest",
            "sm3",
            "-in",
            &path("msg"),
            "-sigfile",
            sigfile,
            "-pkeyopt",
            &distid,
        ])
    };
    let out = verify(&path("sig.der"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A flipped bit fails in OpenSSL too: the oracle can say no.
    let mut bad = sig;
    bad[40] ^= 1;
    std::fs::write(path("bad.der"), der_of(&bad)).unwrap();
    assert!(!verify(&path("bad.der")).status.success());

    // OpenSSL signs with our PKCS#8 key; we verify.
    let out = openssl(&[
        "pkeyutl",
        "-sign",
        "-inkey",
        &path("key.pem"),
        "-rawin",
        "-digest",
        "sm3",
        "-in",
        &path("msg"),
        "-out",
        &path("theirs.der"),
        "-pkeyopt",
        &distid,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs = raw_of(&std::fs::read(path("theirs.der")).unwrap());
    assert!(key.public_key().verify_head(size, &root, ts, &theirs));
    std::fs::remove_dir_all(dir).ok();
}

/// DER `SEQUENCE { INTEGER r, INTEGER s }` of a raw `r ‖ s` signature.
fn der_of(sig: &[u8; 64]) -> Vec<u8> {
    let int = |b: &[u8]| {
        let mut v: Vec<u8> = b.iter().copied().skip_while(|&x| x == 0).collect();
        if v.first().is_none_or(|&x| x & 0x80 != 0) {
            v.insert(0, 0);
        }
        let mut out = vec![0x02, v.len() as u8];
        out.extend(v);
        out
    };
    let body = [int(&sig[..32]), int(&sig[32..])].concat();
    let mut out = vec![0x30, body.len() as u8];
    out.extend(body);
    out
}

/// Raw `r ‖ s` of a DER signature.
fn raw_of(der: &[u8]) -> Vec<u8> {
    assert_eq!(der[0], 0x30);
    let mut out = Vec::new();
    let mut at = 2;
    for _ in 0..2 {
        assert_eq!(der[at], 0x02);
        let len = der[at + 1] as usize;
        let int = &der[at + 2..at + 2 + len];
        let int = &int[int.len().saturating_sub(32)..];
        out.extend(std::iter::repeat_n(0u8, 32 - int.len()));
        out.extend_from_slice(int);
        at += 2 + len;
    }
    out
}
