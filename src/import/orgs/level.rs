//! Whose an institution is, when the registry's level column says only «учреждение»: its
//! legal form in the name says it (КГБУЗ, ГБУ… are the region's; МБОУ, МКУ… a
//! municipality's), and failing that its founder does (a ministry founds the region's
//! institutions, a municipal administration its own). Where it sits on the map decides
//! nothing: a krai hospital in a district is still the krai's.

use crate::import::columns::normalize;

/// Level words that name no owner: the name or the founder decides.
pub fn is_generic(word: &str) -> bool {
    matches!(
        normalize(word).as_str(),
        "подведомственноеучреждение" | "учреждение" | "subordinateinstitution"
    )
}

/// The owner a legal-form abbreviation at the start of the name says: `КГ`/`ОГ`/`Г` (krai,
/// oblast, state) or `М` (municipal), then the financing (`Б` budget, `К` treasury, `А`
/// autonomous, or none), then the kind (`У` institution with its branch letters, `ОУ`,
/// `ДОУ`, `ПОУ` schools, `УП` unitary enterprise). Federal forms (`ФГБУ`…) are neither.
pub fn of_legal_form(name: &str) -> Option<&'static str> {
    let word: String = name
        .trim_start_matches(|c: char| !c.is_alphabetic())
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect();
    if word.chars().count() < 2 || word.chars().any(|c| !c.is_uppercase()) {
        return None;
    }
    let (owner, rest) = ["КГ", "ОГ", "ФГ", "Г", "М", "Ф"]
        .iter()
        .find_map(|p| word.strip_prefix(p).map(|rest| (*p, rest)))?;
    let rest = rest.strip_prefix(['Б', 'К', 'А']).unwrap_or(rest);
    let kind = ["ДОУ", "ПОУ", "ОУ", "УП", "У"]
        .iter()
        .find_map(|k| rest.strip_prefix(k))?;
    // Branch letters after the kind: З (health), СО (social), К (culture), ДО…
    if kind.chars().count() > 3 {
        return None;
    }
    match owner {
        "КГ" | "ОГ" | "Г" => Some("state_institution"),
        "М" => Some("municipal_institution"),
        _ => Some("other"),
    }
}

/// The level an institution takes from its founder's level.
pub fn under(founder_level: &str) -> Option<&'static str> {
    match founder_level {
        "regional_body" | "state_institution" => Some("state_institution"),
        "local_government" | "municipal_institution" => Some("municipal_institution"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legal_form_says_whose_an_institution_is() {
        for name in [
            "КГБУЗ «Краевая клиническая больница»",
            "КГБУСО «Комплексный центр социального обслуживания»",
            "КГКУ Центр занятости",
            "ГБУ «Архив»",
            "ГКУ «Управление капитального строительства»",
            "КГБОУ «Школа-интернат»",
            "ГБПОУ «Колледж»",
            "ОГАУ «Дом науки»",
            "ГУП «Дорожник»",
        ] {
            assert_eq!(of_legal_form(name), Some("state_institution"), "{name}");
        }
        for name in [
            "МБУ «Спортивная школа»",
            "МБОУ «СОШ № 5»",
            "МБДОУ «Детский сад № 7»",
            "МКУ «Управление образования»",
            "МАУ «Дворец культуры»",
            "МАОУ Лицей № 2",
            "МБУК «Библиотека»",
            "МБУДО «Дом творчества»",
            "«МАДОУ № 3»",
            "МУП «Водоканал»",
        ] {
            assert_eq!(of_legal_form(name), Some("municipal_institution"), "{name}");
        }
        assert_eq!(of_legal_form("ФГБУ «Госсорткомиссия»"), Some("other"));
        for name in [
            "Школа № 5",
            "МО Город Барнаул",
            "Министерство образования",
            "Мбоу школа",
            "ГИБДД",
            "М",
            "",
        ] {
            assert_eq!(of_legal_form(name), None, "{name}");
        }
    }

    #[test]
    fn an_institution_belongs_where_its_founder_does() {
        assert_eq!(under("regional_body"), Some("state_institution"));
        assert_eq!(under("state_institution"), Some("state_institution"));
        assert_eq!(under("local_government"), Some("municipal_institution"));
        assert_eq!(under("other"), None);
        assert!(is_generic("Подведомственное учреждение"));
        assert!(!is_generic("Муниципальное учреждение"));
    }
}
