fn main() {
    yew::Renderer::<cmk_web::App>::new().render();
}
