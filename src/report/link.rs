//! Links from a merge-request comment to the files it talks about, at the commit analysed: the
//! forge (GitHub or GitLab) is read from the CI environment by the front end and given here as
//! plain values, so nothing in `report/` reads the environment.
//!
//! GitHub: `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/<commit>/<path>#L<line>`; GitLab:
//! `$CI_PROJECT_URL/-/blob/<commit>/<path>#L<line>`. The commit is the one checked out and
//! analysed (`HEAD`) when known, else the CI's (`$GITHUB_SHA`, `$CI_COMMIT_SHA`); paths are
//! made relative to the repository's top (the project may sit in a folder of it) and
//! percent-encoded, so a file name cannot end the link or add a query.

use std::fmt::Write as _;

use super::markup;

/// Where the checked files can be browsed, at one commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forge {
    /// `https://github.com/owner/repo/blob/<commit>/`, or GitLab's `…/-/blob/<commit>/`.
    base: String,
    /// The project root's folder in the repository: empty, or `sub/dir/`.
    prefix: String,
}

impl Forge {
    /// The forge of the CI run whose environment `var` reads (GitHub Actions, then GitLab CI),
    /// pinned at `commit` when given (else at the CI's commit), for a project at `prefix` in
    /// its repository. `None` outside CI, or when a value is not what the platform sets.
    pub fn from_env(
        var: impl Fn(&str) -> Option<String>,
        commit: Option<&str>,
        prefix: Option<&str>,
    ) -> Option<Forge> {
        let (blob, ci_commit) = if let (Some(server), Some(repository)) =
            (var("GITHUB_SERVER_URL"), var("GITHUB_REPOSITORY"))
        {
            if !is_repository(&repository) {
                return None;
            }
            let server = server.trim_end_matches('/');
            (format!("{server}/{repository}/blob/"), var("GITHUB_SHA"))
        } else if let Some(project) = var("CI_PROJECT_URL") {
            let project = project.trim_end_matches('/');
            (format!("{project}/-/blob/"), var("CI_COMMIT_SHA"))
        } else {
            return None;
        };
        let commit = commit.map(str::to_owned).or(ci_commit)?;
        Forge::new(&blob, &commit, prefix.unwrap_or(""))
    }

    /// Files under `blob` (a web address ending in `/blob/` or `/-/blob/`), at `commit` (hex),
    /// for a project at `prefix` (`""` or `dir/`) in the repository.
    pub fn new(blob: &str, commit: &str, prefix: &str) -> Option<Forge> {
        let is_commit =
            (7..=64).contains(&commit.len()) && commit.bytes().all(|b| b.is_ascii_hexdigit());
        let is_prefix = prefix.is_empty()
            || (prefix.ends_with('/')
                && !prefix.starts_with('/')
                && prefix.split('/').all(|part| part != ".." && part != "."));
        (markup::is_web_url(blob) && blob.ends_with('/') && is_commit && is_prefix).then(|| Forge {
            base: format!("{blob}{commit}/"),
            prefix: prefix.to_owned(),
        })
    }

    /// A link to `path` (relative to the project root, `/`-separated), at `line` when given.
    pub(super) fn file(&self, path: &str, line: Option<usize>) -> Option<String> {
        let mut url = self.base.clone();
        for byte in self.prefix.bytes().chain(path.bytes()) {
            if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
                url.push(char::from(byte));
            } else {
                let _ = write!(url, "%{byte:02X}");
            }
        }
        if let Some(line) = line {
            let _ = write!(url, "#L{line}");
        }
        markup::destination(&url)
    }
}

/// `owner/name`, as GitHub spells repositories.
fn is_repository(text: &str) -> bool {
    let mut parts = text.split('/');
    let valid = |part: Option<&str>| {
        part.is_some_and(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        })
    };
    valid(parts.next()) && valid(parts.next()) && parts.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn github_links_point_at_the_analysed_commit() {
        let vars = [
            ("GITHUB_SERVER_URL", "https://github.com"),
            ("GITHUB_REPOSITORY", "acme/proxy"),
            ("GITHUB_SHA", "abc1234"),
        ];
        let forge = Forge::from_env(env(&vars), Some("0123456789abcdef"), Some("sub/")).unwrap();
        assert_eq!(
            forge.file("src/a b#?.rs", Some(7)).as_deref(),
            Some("https://github.com/acme/proxy/blob/0123456789abcdef/sub/src/a%20b%23%3F.rs#L7")
        );
        let ci = Forge::from_env(env(&vars), None, None).unwrap();
        assert_eq!(
            ci.file("rules/x.toml", None).as_deref(),
            Some("https://github.com/acme/proxy/blob/abc1234/rules/x.toml")
        );
    }

    #[test]
    fn gitlab_links_use_the_project_url() {
        let vars = [
            (
                "CI_PROJECT_URL",
                "https://gitlab.example.com/group/sub/project",
            ),
            ("CI_COMMIT_SHA", "fedcba9876543210"),
        ];
        let forge = Forge::from_env(env(&vars), None, None).unwrap();
        assert_eq!(
            forge.file("src/lib.rs", Some(1)).as_deref(),
            Some(
                "https://gitlab.example.com/group/sub/project/-/blob/fedcba9876543210/src/lib.rs#L1"
            )
        );
    }

    #[test]
    fn nothing_outside_ci_or_with_odd_values() {
        assert_eq!(Forge::from_env(env(&[]), Some("abcdef12"), None), None);
        let bad = [
            ("GITHUB_SERVER_URL", "javascript:alert(1)//"),
            ("GITHUB_REPOSITORY", "a/b"),
            ("GITHUB_SHA", "abcdef12"),
        ];
        assert_eq!(Forge::from_env(env(&bad), None, None), None);
        let repo = [
            ("GITHUB_SERVER_URL", "https://github.com"),
            ("GITHUB_REPOSITORY", "a/b/../c"),
        ];
        assert_eq!(Forge::from_env(env(&repo), Some("abcdef12"), None), None);
        assert_eq!(Forge::new("https://x.example/blob/", "HEAD~1", ""), None);
        assert_eq!(
            Forge::new("https://x.example/blob/", "abcdef12", "../"),
            None
        );
    }
}
