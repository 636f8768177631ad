pub fn old() -> ClientConfig {
    let mut config = ClientConfig::new(); //~ EX0006
    config.alpn_protocols = vec![b"h2".to_vec()];
    config
        .dangerous()
        .set_certificate_verifier(Arc::new(AcceptAll));
    config
}

pub fn new() -> ClientConfig {
    ClientConfig::builder()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AcceptAll)) //~ EX0006
        .with_no_client_auth()
}
