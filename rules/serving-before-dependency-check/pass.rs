// Near misses: nothing here may be reported.
pub async fn main_axum(listener: Listener, app: Router, state: State) -> Result<(), Error> {
    check_dependencies(&state).await?;
    axum::serve(listener, app).await?;
    Ok(())
}

pub async fn validated(listener: Listener, app: Router, config: Config) {
    config.validate().expect("invalid configuration");
    axum::serve(listener, app).await.ok();
}

pub async fn plain_check(addr: Addr, deps: Deps) {
    check(&deps);
    hyper::Server::bind(&addr).serve(make_service()).await.ok();
}

pub async fn verified(addr: Addr, deps: Deps) -> std::io::Result<()> {
    deps.verify_upstreams()?;
    actix_web::HttpServer::new(|| App::new()).bind(addr)?.run().await
}

pub async fn readiness(routes: Routes, db: Db) {
    if !db.is_ready() {
        return;
    }
    warp::serve(routes).run(([127, 0, 0, 1], 3030)).await;
}

// A function called `serve` that handles one connection (h2's examples) is not a server start.
async fn serve(socket: TcpStream) -> Result<(), Error> {
    let mut connection = h2::server::handshake(socket).await?;
    while let Some(request) = connection.accept().await {
        handle(request?);
    }
    Ok(())
}

pub async fn accept_loop(listener: TcpListener) {
    loop {
        if let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(async move { serve(socket).await });
        }
    }
}

pub async fn per_connection(io: Io, service: Service) {
    let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
}

pub fn not_pingora(pool: Pool) {
    // `run_forever` counts only on pingora's `Server`, which this file does not import.
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
