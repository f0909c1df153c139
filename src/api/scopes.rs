//! What a token may do.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    QuestionsWrite,
    QuestionsRead,
    RegistryRead,
    FiguresWrite,
    FiguresRead,
}

impl Scope {
    pub const ALL: [Scope; 5] = [
        Scope::QuestionsWrite,
        Scope::QuestionsRead,
        Scope::RegistryRead,
        Scope::FiguresWrite,
        Scope::FiguresRead,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Scope::QuestionsWrite => "questions:write",
            Scope::QuestionsRead => "questions:read",
            Scope::RegistryRead => "registry:read",
            Scope::FiguresWrite => "figures:write",
            Scope::FiguresRead => "figures:read",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|x| x.code() == s.trim())
    }

    /// A comma-separated list, as the command line takes it; Err names the unknown one.
    pub fn parse_list(s: &str) -> Result<Vec<Scope>, String> {
        let mut out = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let scope = Scope::parse(part).ok_or_else(|| part.to_owned())?;
            if !out.contains(&scope) {
                out.push(scope);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_from_a_list() {
        assert_eq!(
            Scope::parse_list("questions:write, registry:read,questions:write"),
            Ok(vec![Scope::QuestionsWrite, Scope::RegistryRead])
        );
        assert_eq!(
            Scope::parse_list("questions:write,admin"),
            Err("admin".to_owned())
        );
        for s in Scope::ALL {
            assert_eq!(Scope::parse(s.code()), Some(s));
        }
    }
}
