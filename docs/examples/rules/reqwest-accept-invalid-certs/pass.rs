use reqwest::Client;

pub fn client(insecure: bool) -> Client {
    Client::builder()
        .timeout(TIMEOUT)
        .danger_accept_invalid_certs(false)
        .build()
        .unwrap()
}
