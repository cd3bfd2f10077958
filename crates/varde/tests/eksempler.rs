//! The example configuration in `examples/` is valid.

#[test]
fn eksempelkonfigurasjonen_er_gyldig() {
    let fil = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/varde.toml");
    let konfig = varde::konfig::Konfig::les(&fil).expect("examples/varde.toml");
    let register = konfig.produsentregister().expect("register");
    assert!(register.finn("fager").is_some_and(|p| p.naermeste_leder));
    assert_eq!(register.alle().count(), 2);
    assert_eq!(konfig.tilgang.len(), 1);
}
