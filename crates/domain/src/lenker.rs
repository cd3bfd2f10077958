//! Finding links in alert texts. The terms of use advise against links in SMS
//! and e-mail, and Altinn's guidelines against anything that looks like one
//! ("altinn.no"): a phishing message looks the same. An installation either
//! warns or refuses (`[varsling] lenker`).

/// Top-level domains that make a bare word look like an address to a reader.
const TOPPDOMENER: &[&str] =
    &["no", "com", "org", "net", "se", "dk", "fi", "eu", "io", "info", "gov", "biz", "app", "ly", "me"];

/// The first link, or thing that looks like one, in `tekst`: a URL with a scheme, `www.`, an
/// HTML link, or a bare domain such as `nav.no`.
pub fn finn_lenke(tekst: &str) -> Option<&str> {
    let lav = tekst.to_ascii_lowercase();
    for merke in ["http://", "https://", "www.", "href="] {
        if let Some(start) = lav.find(merke) {
            return Some(ord_rundt(tekst, start));
        }
    }
    tekst.split(|c: char| c.is_whitespace() || "<>\"'()[]{},;!?".contains(c)).find(|ord| ser_ut_som_domene(ord))
}

/// The whitespace-separated word that holds byte `i`.
fn ord_rundt(tekst: &str, i: usize) -> &str {
    let start = tekst[..i].rfind(char::is_whitespace).map_or(0, |p| p + 1);
    let slutt = tekst[i..].find(char::is_whitespace).map_or(tekst.len(), |p| i + p);
    &tekst[start..slutt]
}

/// `navn.no`, `sub.navn.com/sti`: labels of letters, digits and hyphens joined by dots, ending
/// in a known top-level domain (a path may follow). "kl. 10.00" and "f.eks." are not.
fn ser_ut_som_domene(ord: &str) -> bool {
    let vert = ord.split('/').next().unwrap_or("").trim_end_matches('.');
    let deler: Vec<&str> = vert.split('.').collect();
    let [navn @ .., tld] = deler.as_slice() else { return false };
    !navn.is_empty()
        && navn.iter().all(|d| !d.is_empty() && d.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && navn.iter().any(|d| d.chars().any(char::is_alphabetic))
        && TOPPDOMENER.contains(&tld.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn finds_urls_and_bare_domains() {
        assert_eq!(finn_lenke("Se https://nav.no/x for mer"), Some("https://nav.no/x"));
        assert_eq!(finn_lenke("Gå til WWW.example.org"), Some("WWW.example.org"));
        assert_eq!(finn_lenke("Logg inn på altinn.no."), Some("altinn.no."));
        assert_eq!(finn_lenke("Les mer på nav.no/arbeidsgiver"), Some("nav.no/arbeidsgiver"));
        assert_eq!(finn_lenke(r#"<a href="/sti">her</a>"#), Some(r#"href="/sti">her</a>"#));
        assert_eq!(finn_lenke("(se min-side.nav.no)"), Some("min-side.nav.no"));
    }

    #[test]
    fn ordinary_text_is_not_a_link() {
        for tekst in [
            "Du har en ny oppgave i Altinn.",
            "Møtet er kl. 10.00 i morgen.",
            "Frist 01.02.2027, f.eks. etter avtale.",
            "Beløp 1.250,50 kr",
            "Gjelder sykmelding. Logg inn for å se den.",
            "",
        ] {
            assert_eq!(finn_lenke(tekst), None, "{tekst}");
        }
    }

    proptest! {
        /// Text of letters, digits and spaces only never holds a link.
        #[test]
        fn words_without_dots_are_never_links(tekst in "[a-zA-ZæøåÆØÅ0-9 ]{0,80}") {
            prop_assert_eq!(finn_lenke(&tekst), None);
        }

        /// Any word followed by .no (or another known domain) is found, wherever it stands.
        #[test]
        fn a_domain_anywhere_is_found(foer in "[a-z ]{0,20}", navn in "[a-z][a-z0-9-]{0,10}", etter in "[a-z ]{0,20}") {
            let tekst = format!("{foer} {navn}.no {etter}");
            prop_assert!(finn_lenke(&tekst).is_some(), "{}", tekst);
        }
    }
}
