// Each line marked `//~ CX0006` must be reported, and no other.
use axum::serve as start;
use hyper::Server;

pub async fn main_axum(listener: Listener, app: Router) -> Result<(), Error> {
    axum::serve(listener, app).await?; //~ CX0006
    Ok(())
}

pub async fn aliased(listener: Listener, app: Router) {
    let _ = start(listener, app).await; //~ CX0006
}

pub fn hyper_server(addr: Addr) {
    let server = Server::bind(&addr); //~ CX0006
    server.serve(make_service()); //~ CX0006
}

pub fn worker(pool: Pool) {
    pool.run_forever(); //~ CX0006
    check_dependencies(); // too late: after the trigger
}

pub fn checked_elsewhere(pool: Pool) {
    helper();
    pool.run_forever(); //~ CX0006
}

fn helper() {
    check_dependencies();
}
