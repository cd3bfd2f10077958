//! Wire compatibility of the producer API's schema with the reference.
//!
//! `tests/referanseskjema.txt` lists every element of the reference schema
//! (reference/produsent-api.md §1), one per line; its header defines the
//! grammar. The test parses our SDL (`produsent_api::sdl()`, the text
//! `varde schema produsent` prints) and checks every line against it,
//! reporting every difference at once.

use async_graphql::Positioned;
use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{
    ConstDirective, FieldDefinition, InputValueDefinition, Type, TypeDefinition, TypeKind, TypeSystemDefinition,
};
use std::collections::{BTreeSet, HashMap, HashSet};
use varde_interfaces::produsent_api::sdl;

const LISTE: &str = include_str!("referanseskjema.txt");
/// The recipient schema's list (reference/bruker-api.md §1), same grammar.
const BRUKERLISTE: &str = include_str!("bruker_referanseskjema.txt");

/// One line of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Element {
    Skalar(String),
    Enum { navn: String, verdier: Vec<String> },
    Union { navn: String, medlemmer: Vec<String> },
    Interface(String),
    Objekt(String),
    Input(String),
    Implementerer { type_navn: String, interface: String },
    Felt { type_navn: String, felt: String, ty: String },
    Arg { type_navn: String, felt: String, arg: String, ty: String, standard: Option<String> },
    Inputfelt { input: String, felt: String, ty: String, standard: Option<String> },
    Foreldet(Vec<String>),
}

/// A list line with its line number, for messages.
struct Linje {
    nr: usize,
    tekst: String,
    element: Element,
}

fn er_navn(s: &str) -> bool {
    let mut tegn = s.chars();
    matches!(tegn.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && tegn.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// `A.b.c` into its parts, each a GraphQL name, `antall` of them.
fn sti(s: &str, antall: usize) -> Result<Vec<String>, String> {
    let deler: Vec<String> = s.split('.').map(str::to_owned).collect();
    if deler.len() != antall || !deler.iter().all(|d| er_navn(d)) {
        return Err(format!("expected a path of {antall} names, got `{s}`"));
    }
    Ok(deler)
}

/// A type reference in the list, normalised by the GraphQL parser so that
/// spacing cannot cause a false difference.
fn typereferanse(s: &str) -> Result<String, String> {
    Type::new(s.trim()).map(|t| t.to_string()).ok_or_else(|| format!("`{s}` is not a GraphQL type"))
}

/// `PATH: TYPE [= DEFAULT]`.
fn med_type(resten: &str, deler: usize) -> Result<(Vec<String>, String, Option<String>), String> {
    let (sti_tekst, type_og_standard) = resten.split_once(':').ok_or("missing `: TYPE`")?;
    let (ty, standard) = match type_og_standard.split_once('=') {
        Some((ty, standard)) => (ty, Some(standard.trim().to_owned())),
        None => (type_og_standard, None),
    };
    Ok((sti(sti_tekst.trim(), deler)?, typereferanse(ty)?, standard))
}

fn navneliste(s: &str, skille: char) -> Result<Vec<String>, String> {
    let navn: Vec<String> = s.split(skille).map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()).collect();
    if navn.is_empty() || !navn.iter().all(|n| er_navn(n)) {
        return Err(format!("expected names separated by `{skille}`, got `{s}`"));
    }
    Ok(navn)
}

fn tolk_linje(linje: &str) -> Result<Element, String> {
    let (nokkelord, resten) = linje.split_once(' ').ok_or("missing element after the keyword")?;
    let resten = resten.trim();
    let ett_navn = |s: &str| if er_navn(s) { Ok(s.to_owned()) } else { Err(format!("`{s}` is not a name")) };
    Ok(match nokkelord {
        "scalar" => Element::Skalar(ett_navn(resten)?),
        "interface" => Element::Interface(ett_navn(resten)?),
        "type" => Element::Objekt(ett_navn(resten)?),
        "input" => Element::Input(ett_navn(resten)?),
        "enum" => {
            let (navn, verdier) = resten.split_once(':').ok_or("missing `: VALUE ...`")?;
            Element::Enum { navn: ett_navn(navn.trim())?, verdier: navneliste(verdier, ' ')? }
        }
        "union" => {
            let (navn, medlemmer) = resten.split_once('=').ok_or("missing `= MEMBER | ...`")?;
            Element::Union { navn: ett_navn(navn.trim())?, medlemmer: navneliste(medlemmer, '|')? }
        }
        "implements" => {
            let (type_navn, interface) = resten.split_once(':').ok_or("missing `: INTERFACE`")?;
            Element::Implementerer { type_navn: ett_navn(type_navn.trim())?, interface: ett_navn(interface.trim())? }
        }
        "field" => {
            let (deler, ty, standard) = med_type(resten, 2)?;
            if standard.is_some() {
                return Err("an output field has no default".to_owned());
            }
            let [type_navn, felt] = <[String; 2]>::try_from(deler).map_err(|_| "wrong number of names in the path")?;
            Element::Felt { type_navn, felt, ty }
        }
        "arg" => {
            let (deler, ty, standard) = med_type(resten, 3)?;
            let [type_navn, felt, arg] =
                <[String; 3]>::try_from(deler).map_err(|_| "wrong number of names in the path")?;
            Element::Arg { type_navn, felt, arg, ty, standard }
        }
        "inputfield" => {
            let (deler, ty, standard) = med_type(resten, 2)?;
            let [input, felt] = <[String; 2]>::try_from(deler).map_err(|_| "wrong number of names in the path")?;
            Element::Inputfelt { input, felt, ty, standard }
        }
        "deprecated" => {
            let deler = resten.split('.').count();
            if !(2..=3).contains(&deler) {
                return Err(format!("`{resten}` is not TYPE.FIELD, TYPE.FIELD.ARG, INPUT.FIELD or ENUM.VALUE"));
            }
            Element::Foreldet(sti(resten, deler)?)
        }
        annet => return Err(format!("unknown keyword `{annet}`")),
    })
}

/// The list's lines, or every line that does not follow the grammar.
fn les_liste() -> Result<Vec<Linje>, Vec<String>> {
    les(LISTE)
}

fn les(liste: &str) -> Result<Vec<Linje>, Vec<String>> {
    let mut linjer = Vec::new();
    let mut feil = Vec::new();
    for (i, tekst) in liste.lines().enumerate() {
        let tekst = tekst.trim();
        if tekst.is_empty() || tekst.starts_with('#') {
            continue;
        }
        match tolk_linje(tekst) {
            Ok(element) => linjer.push(Linje { nr: i + 1, tekst: tekst.to_owned(), element }),
            Err(e) => feil.push(format!("list line {}: `{tekst}`: {e}", i + 1)),
        }
    }
    if feil.is_empty() { Ok(linjer) } else { Err(feil) }
}

// ---------------------------------------------------------------- our schema

fn foreldet(direktiver: &[Positioned<ConstDirective>]) -> bool {
    direktiver.iter().any(|d| d.node.name.node == "deprecated")
}

fn standardverdi(v: &InputValueDefinition) -> Option<String> {
    v.default_value.as_ref().map(|d| d.node.to_string())
}

/// A required input value: a request that leaves it out is rejected.
fn paakrevd(v: &InputValueDefinition) -> bool {
    !v.ty.node.nullable && v.default_value.is_none()
}

fn typenavn(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Scalar => "scalar",
        TypeKind::Object(_) => "object type",
        TypeKind::Interface(_) => "interface",
        TypeKind::Union(_) => "union",
        TypeKind::Enum(_) => "enum",
        TypeKind::InputObject(_) => "input type",
    }
}

struct Skjema {
    typer: HashMap<String, TypeDefinition>,
}

impl Skjema {
    fn fra_sdl(sdl: &str) -> Skjema {
        let dokument = parse_schema(sdl).unwrap_or_else(|e| panic!("our SDL does not parse: {e}\n{sdl}"));
        let typer = dokument
            .definitions
            .into_iter()
            .filter_map(|d| match d {
                TypeSystemDefinition::Type(t) => Some((t.node.name.node.to_string(), t.node)),
                _ => None,
            })
            .collect();
        Skjema { typer }
    }

    fn type_av(&self, navn: &str) -> Result<&TypeDefinition, String> {
        self.typer.get(navn).ok_or_else(|| format!("our schema has no type `{navn}`"))
    }

    /// The fields of an object type or interface.
    fn felter(&self, type_navn: &str) -> Result<&[Positioned<FieldDefinition>], String> {
        match &self.type_av(type_navn)?.kind {
            TypeKind::Object(o) => Ok(&o.fields),
            TypeKind::Interface(i) => Ok(&i.fields),
            annen => Err(format!("`{type_navn}` is a {} in our schema, not an object type", typenavn(annen))),
        }
    }

    fn felt(&self, type_navn: &str, felt: &str) -> Result<&FieldDefinition, String> {
        self.felter(type_navn)?
            .iter()
            .map(|f| &f.node)
            .find(|f| f.name.node == felt)
            .ok_or_else(|| format!("our `{type_navn}` has no field `{felt}`"))
    }

    fn inputfelter(&self, input: &str) -> Result<&[Positioned<InputValueDefinition>], String> {
        match &self.type_av(input)?.kind {
            TypeKind::InputObject(i) => Ok(&i.fields),
            annen => Err(format!("`{input}` is a {} in our schema, not an input type", typenavn(annen))),
        }
    }

    fn inputfelt(&self, input: &str, felt: &str) -> Result<&InputValueDefinition, String> {
        self.inputfelter(input)?
            .iter()
            .map(|f| &f.node)
            .find(|f| f.name.node == felt)
            .ok_or_else(|| format!("our `{input}` has no field `{felt}`"))
    }

    fn arg(&self, type_navn: &str, felt: &str, arg: &str) -> Result<&InputValueDefinition, String> {
        self.felt(type_navn, felt)?
            .arguments
            .iter()
            .map(|a| &a.node)
            .find(|a| a.name.node == arg)
            .ok_or_else(|| format!("our `{type_navn}.{felt}` has no argument `{arg}`"))
    }

    fn kind(&self, navn: &str, forventet: &str) -> Result<&TypeKind, String> {
        let kind = &self.type_av(navn)?.kind;
        if typenavn(kind) == forventet {
            Ok(kind)
        } else {
            Err(format!("`{navn}` is a {} in our schema, not a {forventet}", typenavn(kind)))
        }
    }
}

fn samme_mengde(hva: &str, vaare: &[String], liste: &[String]) -> Result<(), String> {
    let vaare_m: BTreeSet<&String> = vaare.iter().collect();
    let liste_m: BTreeSet<&String> = liste.iter().collect();
    let mangler: Vec<&&String> = liste_m.difference(&vaare_m).collect();
    let ekstra: Vec<&&String> = vaare_m.difference(&liste_m).collect();
    let mut deler = Vec::new();
    if !mangler.is_empty() {
        deler.push(format!("missing in ours {mangler:?}"));
    }
    if !ekstra.is_empty() {
        deler.push(format!("extra in ours {ekstra:?}"));
    }
    if deler.is_empty() { Ok(()) } else { Err(format!("{hva} differ: {}", deler.join(", "))) }
}

fn sammenlign_verdi(
    v: &InputValueDefinition,
    ty: &str,
    standard: &Option<String>,
    skal_vaere_foreldet: bool,
) -> Result<(), String> {
    let mut avvik = Vec::new();
    let vaar_type = v.ty.node.to_string();
    if vaar_type != ty {
        avvik.push(format!("type is `{vaar_type}` in ours"));
    }
    let vaar_standard = standardverdi(v);
    if &vaar_standard != standard {
        avvik.push(match vaar_standard {
            Some(s) => format!("default is `= {s}` in ours"),
            None => "ours has no default".to_owned(),
        });
    }
    avvik.extend(foreldelse(foreldet(&v.directives), skal_vaere_foreldet));
    if avvik.is_empty() { Ok(()) } else { Err(avvik.join("; ")) }
}

fn foreldelse(vaar: bool, forventet: bool) -> Option<String> {
    match (vaar, forventet) {
        (true, false) => Some("ours is @deprecated, the reference's is not".to_owned()),
        (false, true) => Some("ours is not @deprecated, the reference's is".to_owned()),
        _ => None,
    }
}

/// Every difference between the list and our schema, one message each.
fn avvik(skjema: &Skjema, linjer: &[Linje]) -> Vec<String> {
    let foreldede: HashSet<Vec<String>> = linjer
        .iter()
        .filter_map(|l| match &l.element {
            Element::Foreldet(sti) => Some(sti.clone()),
            _ => None,
        })
        .collect();
    let er_foreldet = |deler: &[&str]| foreldede.contains(&deler.iter().map(|d| d.to_string()).collect::<Vec<_>>());

    // The arguments and input fields the list names, to find extra required ones in ours.
    let mut listede_arg: HashMap<(&str, &str), HashSet<&str>> = HashMap::new();
    let mut listede_inputfelt: HashMap<&str, HashSet<&str>> = HashMap::new();
    for l in linjer {
        match &l.element {
            Element::Felt { type_navn, felt, .. } => {
                listede_arg.entry((type_navn, felt)).or_default();
            }
            Element::Arg { type_navn, felt, arg, .. } => {
                listede_arg.entry((type_navn, felt)).or_default().insert(arg);
            }
            Element::Input(input) => {
                listede_inputfelt.entry(input).or_default();
            }
            Element::Inputfelt { input, felt, .. } => {
                listede_inputfelt.entry(input).or_default().insert(felt);
            }
            _ => {}
        }
    }

    let mut alle = Vec::new();
    for l in linjer {
        let utfall: Result<(), String> = match &l.element {
            Element::Skalar(navn) => skjema.kind(navn, "scalar").map(drop),
            Element::Interface(navn) => skjema.kind(navn, "interface").map(drop),
            Element::Objekt(navn) => skjema.kind(navn, "object type").map(drop),
            Element::Input(navn) => skjema.kind(navn, "input type").and_then(|_| {
                let listede = &listede_inputfelt[navn.as_str()];
                let ekstra: Vec<String> = skjema
                    .inputfelter(navn)?
                    .iter()
                    .filter(|f| paakrevd(&f.node) && !listede.contains(f.node.name.node.as_str()))
                    .map(|f| format!("{}: {}", f.node.name.node, f.node.ty.node))
                    .collect();
                if ekstra.is_empty() {
                    Ok(())
                } else {
                    Err(format!("ours has extra required fields the reference lacks: {}", ekstra.join(", ")))
                }
            }),
            Element::Enum { navn, verdier } => skjema.kind(navn, "enum").and_then(|kind| {
                let TypeKind::Enum(e) = kind else { unreachable!("checked by kind()") };
                let vaare: Vec<String> = e.values.iter().map(|v| v.node.value.node.to_string()).collect();
                let mut avvik: Vec<String> = samme_mengde("values", &vaare, verdier).err().into_iter().collect();
                for v in &e.values {
                    let verdi = v.node.value.node.as_str();
                    if verdier.iter().any(|x| x == verdi)
                        && let Some(f) = foreldelse(foreldet(&v.node.directives), er_foreldet(&[navn, verdi]))
                    {
                        avvik.push(format!("value {verdi}: {f}"));
                    }
                }
                if avvik.is_empty() { Ok(()) } else { Err(avvik.join("; ")) }
            }),
            Element::Union { navn, medlemmer } => skjema.kind(navn, "union").and_then(|kind| {
                let TypeKind::Union(u) = kind else { unreachable!("checked by kind()") };
                let vaare: Vec<String> = u.members.iter().map(|m| m.node.to_string()).collect();
                samme_mengde("members", &vaare, medlemmer)
            }),
            Element::Implementerer { type_navn, interface } => skjema.type_av(type_navn).and_then(|t| match &t.kind {
                TypeKind::Object(o) if o.implements.iter().any(|i| i.node == interface.as_str()) => Ok(()),
                TypeKind::Object(_) => Err(format!("our `{type_navn}` does not implement `{interface}`")),
                annen => Err(format!("`{type_navn}` is a {} in our schema, not an object type", typenavn(annen))),
            }),
            Element::Felt { type_navn, felt, ty } => skjema.felt(type_navn, felt).and_then(|f| {
                let mut avvik = Vec::new();
                let vaar_type = f.ty.node.to_string();
                if &vaar_type != ty {
                    avvik.push(format!("type is `{vaar_type}` in ours"));
                }
                avvik.extend(foreldelse(foreldet(&f.directives), er_foreldet(&[type_navn, felt])));
                let listede = &listede_arg[&(type_navn.as_str(), felt.as_str())];
                let ekstra: Vec<String> = f
                    .arguments
                    .iter()
                    .filter(|a| paakrevd(&a.node) && !listede.contains(a.node.name.node.as_str()))
                    .map(|a| format!("{}: {}", a.node.name.node, a.node.ty.node))
                    .collect();
                if !ekstra.is_empty() {
                    avvik.push(format!("ours has extra required arguments the reference lacks: {}", ekstra.join(", ")));
                }
                if avvik.is_empty() { Ok(()) } else { Err(avvik.join("; ")) }
            }),
            Element::Arg { type_navn, felt, arg, ty, standard } => skjema
                .arg(type_navn, felt, arg)
                .and_then(|a| sammenlign_verdi(a, ty, standard, er_foreldet(&[type_navn, felt, arg]))),
            Element::Inputfelt { input, felt, ty, standard } => skjema
                .inputfelt(input, felt)
                .and_then(|f| sammenlign_verdi(f, ty, standard, er_foreldet(&[input, felt]))),
            // Checked on the line that declares the element; here only that there is one.
            Element::Foreldet(sti) => {
                if linjer.iter().any(|x| navngir(&x.element, sti)) {
                    Ok(())
                } else {
                    Err("the list declares no field, argument, input field or enum value by that path".to_owned())
                }
            }
        };
        if let Err(e) = utfall {
            alle.push(format!("list line {}: `{}`: {e}", l.nr, l.tekst));
        }
    }
    alle
}

/// Whether `element` declares the field, argument, input field or enum value at `sti`.
fn navngir(element: &Element, sti: &[String]) -> bool {
    match (element, sti) {
        (Element::Felt { type_navn, felt, .. }, [t, f]) => type_navn == t && felt == f,
        (Element::Inputfelt { input, felt, .. }, [t, f]) => input == t && felt == f,
        (Element::Enum { navn, verdier }, [t, v]) => navn == t && verdier.contains(v),
        (Element::Arg { type_navn, felt, arg, .. }, [t, f, a]) => type_navn == t && felt == f && arg == a,
        _ => false,
    }
}

#[test]
fn our_sdl_has_every_element_of_the_reference_schema() {
    let linjer = les_liste().unwrap_or_else(|feil| panic!("the list is malformed:\n{}", feil.join("\n")));
    let skjema = Skjema::fra_sdl(&sdl());
    let avvik = avvik(&skjema, &linjer);
    assert!(
        avvik.is_empty(),
        "{} of {} reference schema elements are missing or different in our SDL:\n{}",
        avvik.len(),
        linjer.len(),
        avvik.join("\n")
    );
}

#[test]
fn our_recipient_sdl_has_every_element_of_the_reference_schema() {
    let linjer = les(BRUKERLISTE).unwrap_or_else(|feil| panic!("the list is malformed:\n{}", feil.join("\n")));
    let skjema = Skjema::fra_sdl(&varde_interfaces::bruker_api::sdl());
    let avvik = avvik(&skjema, &linjer);
    assert!(
        avvik.is_empty(),
        "{} of {} reference recipient schema elements are missing or different in our SDL:\n{}",
        avvik.len(),
        linjer.len(),
        avvik.join("\n")
    );
}

// ---------------------------------------------------------------- the list itself

const MUTASJONER: [&str; 31] = [
    "nyKalenderavtale",
    "nySak",
    "nyStatusSak",
    "nyStatusSakByGrupperingsid",
    "tilleggsinformasjonSak",
    "tilleggsinformasjonSakByGrupperingsid",
    "nesteStegSak",
    "nesteStegSakByGrupperingsid",
    "nyBeskjed",
    "nyOppgave",
    "oppgaveUtfoert",
    "oppgaveUtfoertByEksternId",
    "oppgaveUtfoertByEksternId_V2",
    "oppgaveUtgaatt",
    "oppgaveUtgaattByEksternId",
    "oppgaveUtsettFrist",
    "oppgaveUtsettFristByEksternId",
    "oppgaveEndrePaaminnelse",
    "oppgaveEndrePaaminnelseByEksternId",
    "oppdaterKalenderavtale",
    "oppdaterKalenderavtaleByEksternId",
    "softDeleteNotifikasjon",
    "softDeleteNotifikasjonByEksternId",
    "softDeleteNotifikasjonByEksternId_V2",
    "hardDeleteNotifikasjonByEksternId",
    "softDeleteSak",
    "softDeleteSakByGrupperingsid",
    "hardDeleteNotifikasjon",
    "hardDeleteNotifikasjonByEksternId_V2",
    "hardDeleteSak",
    "hardDeleteSakByGrupperingsid",
];

const SPOERRINGER: [&str; 5] =
    ["whoami", "mineNotifikasjoner", "hentNotifikasjon", "hentSak", "hentSakMedGrupperingsid"];

const INNEBYGDE_SKALARER: [&str; 5] = ["String", "Int", "Float", "Boolean", "ID"];

/// What a line is about, without its type or default: two lines with the
/// same key contradict or repeat each other.
fn noekkel(element: &Element) -> String {
    match element {
        // A type's name is unique across kinds in GraphQL.
        Element::Skalar(n) | Element::Interface(n) | Element::Objekt(n) | Element::Input(n) => n.clone(),
        Element::Enum { navn, .. } | Element::Union { navn, .. } => navn.clone(),
        Element::Implementerer { type_navn, interface } => format!("implements {type_navn}: {interface}"),
        Element::Felt { type_navn, felt, .. } => format!("{type_navn}.{felt}"),
        Element::Inputfelt { input, felt, .. } => format!("{input}.{felt}"),
        Element::Arg { type_navn, felt, arg, .. } => format!("{type_navn}.{felt}.{arg}"),
        Element::Foreldet(sti) => format!("deprecated {}", sti.join(".")),
    }
}

/// The innermost type name of a type reference such as `[MottakerInput!]!`.
fn grunntype(ty: &str) -> &str {
    ty.trim_matches(|c| c == '[' || c == ']' || c == '!')
}

/// Guards the list against losing lines: it covers every operation, has
/// §1's number of each kind of type, and is closed (every name it uses it
/// also declares), so a type left out of it would show.
#[test]
fn the_reference_list_is_complete_and_consistent() {
    let linjer = les_liste().unwrap_or_else(|feil| panic!("the list is malformed:\n{}", feil.join("\n")));
    let mut feil = Vec::new();

    let mut sett = HashSet::new();
    for l in &linjer {
        if !sett.insert(noekkel(&l.element)) {
            feil.push(format!("list line {}: `{}`: the element is listed twice", l.nr, l.tekst));
        }
    }

    for (rot, navn) in [("Mutation", &MUTASJONER[..]), ("Query", &SPOERRINGER[..])] {
        let listede: BTreeSet<&str> = linjer
            .iter()
            .filter_map(|l| match &l.element {
                Element::Felt { type_navn, felt, .. } if type_navn == rot => Some(felt.as_str()),
                _ => None,
            })
            .collect();
        if let Err(e) = samme_mengde(
            &format!("{rot} fields"),
            &listede.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            &navn.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        ) {
            feil.push(e.replace("in ours", "in the list"));
        }
    }

    // Kinds and their counts in §1: 4 scalars, 6 enums, 21 unions (19 results,
    // Notifikasjon, Mottaker), 29 input types, 1 interface, 13 error types.
    let mut antall_per_kind: HashMap<&str, usize> = HashMap::new();
    let mut deklarert: HashMap<&str, &str> = HashMap::new();
    for l in &linjer {
        let (navn, kind) = match &l.element {
            Element::Skalar(n) => (n, "scalar"),
            Element::Enum { navn, .. } => (navn, "enum"),
            Element::Union { navn, .. } => (navn, "union"),
            Element::Interface(n) => (n, "interface"),
            Element::Objekt(n) => (n, "object type"),
            Element::Input(n) => (n, "input type"),
            Element::Implementerer { .. } => {
                *antall_per_kind.entry("implements").or_default() += 1;
                continue;
            }
            _ => continue,
        };
        *antall_per_kind.entry(kind).or_default() += 1;
        deklarert.insert(navn, kind);
    }
    for (kind, forventet) in
        [("scalar", 4), ("enum", 6), ("union", 21), ("input type", 29), ("interface", 1), ("implements", 13)]
    {
        let antall = antall_per_kind.get(kind).copied().unwrap_or(0);
        if antall != forventet {
            feil.push(format!("the list has {antall} {kind} lines; §1 has {forventet}"));
        }
    }

    // Every name a line uses must be declared with a fitting kind.
    let utdata: &[&str] = &["scalar", "enum", "union", "interface", "object type"];
    let inndata: &[&str] = &["scalar", "enum", "input type"];
    let ukjent = |navn: &str, kinds: &[&str], rolle: &str| {
        let kjent = (INNEBYGDE_SKALARER.contains(&navn) && kinds.contains(&"scalar"))
            || deklarert.get(navn).is_some_and(|k| kinds.contains(k));
        (!kjent).then(|| format!("{rolle} `{navn}` is not declared as one of {kinds:?}"))
    };
    let har_felt = |type_navn: &str, felt: &str| {
        linjer
            .iter()
            .any(|x| matches!(&x.element, Element::Felt { type_navn: t, felt: f, .. } if t == type_navn && f == felt))
    };
    let mut felter_per_type: HashMap<&str, usize> = HashMap::new();
    for l in &linjer {
        let problemer: Vec<Option<String>> = match &l.element {
            Element::Union { medlemmer, .. } => {
                medlemmer.iter().map(|m| ukjent(m, &["object type"], "member")).collect()
            }
            Element::Implementerer { type_navn, interface } => {
                vec![ukjent(type_navn, &["object type"], "type"), ukjent(interface, &["interface"], "interface")]
            }
            Element::Felt { type_navn, ty, .. } => {
                *felter_per_type.entry(type_navn).or_default() += 1;
                vec![ukjent(type_navn, &["object type", "interface"], "owner"), ukjent(grunntype(ty), utdata, "type")]
            }
            Element::Arg { type_navn, felt, ty, .. } => vec![
                (!har_felt(type_navn, felt)).then(|| format!("no field line for `{type_navn}.{felt}`")),
                ukjent(grunntype(ty), inndata, "type"),
            ],
            Element::Inputfelt { input, ty, .. } => {
                *felter_per_type.entry(input).or_default() += 1;
                vec![ukjent(input, &["input type"], "owner"), ukjent(grunntype(ty), inndata, "type")]
            }
            Element::Foreldet(sti) => {
                vec![
                    (!linjer.iter().any(|x| navngir(&x.element, sti)))
                        .then(|| "names nothing the list declares".to_owned()),
                ]
            }
            _ => Vec::new(),
        };
        feil.extend(problemer.into_iter().flatten().map(|p| format!("list line {}: `{}`: {p}", l.nr, l.tekst)));
    }
    for (navn, kind) in &deklarert {
        if matches!(*kind, "object type" | "input type" | "interface") && !felter_per_type.contains_key(navn) {
            feil.push(format!("{kind} `{navn}` has no field lines"));
        }
    }

    assert!(feil.is_empty(), "the reference list is incomplete or inconsistent:\n{}", feil.join("\n"));
}
