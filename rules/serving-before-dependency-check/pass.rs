// Near misses: nothing here may be reported.
pub async fn main_axum(listener: Listener, app: Router, state: State) -> Result<(), Error> {
    check_dependencies(&state).await?;
    axum::serve(listener, app).await?;
    Ok(())
}

pub fn hyper_server(addr: Addr, config: Config) {
    validate_config(&config);
    let server = hyper::Server::bind(&addr);
    server.serve(make_service());
}

pub fn worker(pool: Pool, db: Db) {
    if !db.is_ready() {
        return;
    }
    pool.run_forever();
}

pub fn binds_a_socket(socket: Socket, addr: Addr) {
    // `.bind()` alone is not serving traffic.
    socket.bind(&addr);
}

#[cfg(test)]
mod tests {
    #[test]
    fn tests_may_serve_freely() {
        axum::serve(listener(), app());
    }
}
