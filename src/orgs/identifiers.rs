//! INN and OGRN with their check digits, as the Federal Tax Service defines them.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdError {
    /// Not the right number of digits (or not digits at all).
    Format,
    /// The digits are fine but the check digit does not match: usually a typo.
    CheckDigit,
}

fn digits(s: &str, len: usize) -> Result<Vec<u32>, IdError> {
    if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdError::Format);
    }
    Ok(s.bytes().map(|b| u32::from(b - b'0')).collect())
}

fn weighted(d: &[u32], weights: &[u32]) -> u32 {
    d.iter().zip(weights).map(|(a, b)| a * b).sum::<u32>() % 11 % 10
}

/// INN of a legal entity: 10 digits.
pub fn validate_inn(s: &str) -> Result<(), IdError> {
    let d = digits(s, 10)?;
    if weighted(&d, &[2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[9] {
        Ok(())
    } else {
        Err(IdError::CheckDigit)
    }
}

/// INN of a person (12 digits): two check digits.
pub fn validate_personal_inn(s: &str) -> Result<(), IdError> {
    let d = digits(s, 12)?;
    let first = weighted(&d, &[7, 2, 4, 10, 3, 5, 9, 4, 6, 8]);
    let second = weighted(&d, &[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]);
    if first == d[10] && second == d[11] {
        Ok(())
    } else {
        Err(IdError::CheckDigit)
    }
}

/// OGRN of a legal entity: 13 digits, the last is the first twelve modulo 11 (then modulo 10).
pub fn validate_ogrn(s: &str) -> Result<(), IdError> {
    let d = digits(s, 13)?;
    let body: u64 = s[..12].parse().map_err(|_| IdError::Format)?;
    if (body % 11 % 10) as u32 == d[12] {
        Ok(())
    } else {
        Err(IdError::CheckDigit)
    }
}

/// Completes a 9-digit prefix into a valid legal-entity INN (used by the demo data generator).
pub fn complete_inn(prefix9: &str) -> String {
    let d: Vec<u32> = prefix9.bytes().map(|b| u32::from(b - b'0')).collect();
    format!("{prefix9}{}", weighted(&d, &[2, 4, 10, 3, 5, 9, 4, 6, 8]))
}

/// Completes a 12-digit prefix into a valid OGRN.
pub fn complete_ogrn(prefix12: &str) -> String {
    let body: u64 = prefix12.parse().expect("twelve digits");
    format!("{prefix12}{}", body % 11 % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inn_table() {
        let cases = [
            ("7707083893", Ok(())), // ПАО Сбербанк
            ("7736050003", Ok(())), // ПАО Газпром
            ("2225066621", Ok(())),
            ("7707083894", Err(IdError::CheckDigit)),
            ("2221011001", Err(IdError::CheckDigit)),
            ("770708389", Err(IdError::Format)),
            ("77070838931", Err(IdError::Format)),
            ("77070838a3", Err(IdError::Format)),
            ("", Err(IdError::Format)),
            ("７７０７０８３８９３", Err(IdError::Format)),
        ];
        for (input, expected) in cases {
            assert_eq!(validate_inn(input), expected, "{input}");
        }
    }

    #[test]
    fn personal_inn_table() {
        assert_eq!(validate_personal_inn("500100732259"), Ok(()));
        assert_eq!(
            validate_personal_inn("500100732258"),
            Err(IdError::CheckDigit)
        );
        assert_eq!(validate_personal_inn("5001007322"), Err(IdError::Format));
    }

    #[test]
    fn ogrn_table() {
        let cases = [
            ("1027700132195", Ok(())), // ПАО Сбербанк
            ("1027700070518", Ok(())), // ПАО Газпром
            ("1022200918376", Ok(())),
            ("1042202280251", Ok(())),
            ("1027700132196", Err(IdError::CheckDigit)),
            ("1022200918377", Err(IdError::CheckDigit)),
            ("102770013219", Err(IdError::Format)),
            ("10277001321950", Err(IdError::Format)),
            ("1O27700132195", Err(IdError::Format)),
        ];
        for (input, expected) in cases {
            assert_eq!(validate_ogrn(input), expected, "{input}");
        }
    }

    #[test]
    fn completed_numbers_validate() {
        for n in 0..500u32 {
            assert_eq!(validate_inn(&complete_inn(&format!("222{n:06}"))), Ok(()));
            assert_eq!(
                validate_ogrn(&complete_ogrn(&format!("1022200{n:05}"))),
                Ok(())
            );
        }
    }
}
