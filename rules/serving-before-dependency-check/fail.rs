// Each line marked `//~ CX0006` must be reported, and no other.
use axum::serve as start;
use hyper::Server;
use pingora::prelude::*;

pub async fn main_axum(listener: Listener, app: Router) -> Result<(), Error> {
    axum::serve(listener, app).await?; //~ CX0006
    Ok(())
}

pub async fn aliased(listener: Listener, app: Router) {
    let _ = start(listener, app).await; //~ CX0006
}

pub async fn imported_in_the_function(listener: Listener, app: Router) {
    use axum::serve;
    serve(listener, app).await.ok(); //~ CX0006
}

pub async fn hyper_chain(addr: Addr) {
    // One server, one finding: `.serve(..)` is part of the same start.
    Server::bind(&addr).serve(make_service()).await.ok(); //~ CX0006
}

pub async fn actix(addr: Addr) -> std::io::Result<()> {
    actix_web::HttpServer::new(|| App::new()).bind(addr)?.run().await //~ CX0006
}

pub async fn tonic(addr: Addr, greeter: Greeter) -> Result<(), Error> {
    tonic::transport::Server::builder() //~ CX0006
        .add_service(GreeterServer::new(greeter))
        .serve(addr)
        .await?;
    Ok(())
}

pub async fn warp(routes: Routes) {
    warp::serve(routes).run(([127, 0, 0, 1], 3030)).await; //~ CX0006
}

#[rocket::launch]
fn rocket() -> _ {
    rocket::build().mount("/", routes![index]) //~ CX0006
}

pub async fn poem(app: Route) -> Result<(), std::io::Error> {
    poem::Server::new(TcpListener::bind("0.0.0.0:3000")).run(app).await //~ CX0006
}

pub fn pingora_main(opt: Opt) {
    let mut server = Server::new(Some(opt)).unwrap_or_default();
    server.bootstrap();
    server.run_forever(); //~ CX0006
}

pub async fn two_servers_one_statement(a: Listener, b: Listener, app: Router) {
    let _ = tokio::join!(axum::serve(a, app.clone()), axum::serve(b, app)); //~ CX0006
}

pub async fn checked_too_late(listener: Listener, app: Router) {
    axum::serve(listener, app).await.ok(); //~ CX0006
    check_dependencies();
}

pub async fn checked_elsewhere(listener: Listener, app: Router) {
    helper();
    axum::serve(listener, app).await.ok(); //~ CX0006
}

pub async fn checked_arithmetic(listener: Listener, app: Router, port: u16) {
    let _next = port.checked_add(1);
    axum::serve(listener, app).await.ok(); //~ CX0006
}

fn helper() {
    check_dependencies();
}
