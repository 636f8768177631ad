use reqwest::{Client, ClientBuilder};

pub fn client() -> Client {
    Client::builder()
        .timeout(TIMEOUT)
        .danger_accept_invalid_certs(true) //~ EX0001
        .build()
        .unwrap()
}

pub fn other() -> Client {
    ClientBuilder::new().danger_accept_invalid_hostnames(true).build().unwrap() //~ EX0001
}
