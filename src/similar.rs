//! "Did you mean" suggestions: misspelled field names, rule ids, configuration keys
//! and commands.

use alloc::vec::Vec;

/// The candidates close to `word` (edit distance within a third of its length, at
/// least 2, case-insensitive), closest first, at most three.
pub fn close_matches<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let lower = word.to_ascii_lowercase();
    let limit = (word.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &'a str)> = candidates
        .map(|c| (distance(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    crate::order::sort(&mut scored);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// Levenshtein distance between `a` and `b`, by characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = Vec::with_capacity(b.len() + 1);
    for (i, ca) in a.chars().enumerate() {
        current.clear();
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let delete = previous.get(j + 1).copied().unwrap_or(0) + 1;
            let insert = current.last().copied().unwrap_or(0) + 1;
            current.push(substitute.min(delete).min(insert));
        }
        core::mem::swap(&mut previous, &mut current);
    }
    previous.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("same", "same"), 0);
    }

    #[test]
    fn suggests_the_closest_ids() {
        let ids = [
            "rule-without-ports",
            "missing-policytypes",
            "port-range-too-wide",
        ];
        assert_eq!(
            close_matches("rule-without-port", ids.into_iter()),
            ["rule-without-ports"]
        );
        assert!(close_matches("zzz", ids.into_iter()).is_empty());
    }
}
