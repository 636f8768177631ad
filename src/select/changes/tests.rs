//! Reading diffs: hunks by their counts, quoted and renamed paths, headers only, CRLF, and
//! every malformed or hostile diff an error, never a panic.

use super::*;

fn parse(diff: &str) -> ChangedLines {
    ChangedLines::parse(diff).unwrap()
}

fn lines(changed: &ChangedLines, path: &str) -> Vec<RangeInclusive<usize>> {
    changed.files.get(path).cloned().unwrap_or_default()
}

#[test]
fn reads_new_side_lines_of_each_hunk() {
    let diff = "diff --git a/src/lib.rs b/src/lib.rs\n--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1,0 +2,2 @@\n+fn a() {}\n+fn b() {}\n@@ -10 +12 @@\n-old\n+new\n--- a/gone.rs\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n--- /dev/null\n+++ b/src/new.rs\n@@ -0,0 +1 @@\n+fn c() {}\n";
    let changed = parse(diff);
    assert_eq!(lines(&changed, "src/lib.rs"), [2..=3, 12..=12]);
    assert_eq!(lines(&changed, "src/new.rs"), [1..=1]);
    assert_eq!(
        changed.files().collect::<Vec<_>>(),
        ["src/lib.rs", "src/new.rs"]
    );
}

#[test]
fn context_lines_count_but_are_not_changes() {
    let diff =
        "--- a/x.rs\n+++ b/x.rs\n@@ -4,4 +4,5 @@ fn f() {\n keep\n-gone\n+one\n+two\n \n keep\n";
    // The blank line is context written without its space, as `diff.suppressBlankEmpty`
    // makes git write it.
    assert_eq!(lines(&parse(diff), "x.rs"), [5..=6]);
}

#[test]
fn a_hunk_line_is_never_a_header_whatever_its_text() {
    let diff = "diff --git a/src/a.rs b/src/a.rs\nindex 1..2 100644\n--- a/src/a.rs\n+++ b/src/a.rs\n@@ -1,2 +1,7 @@\n-// -- old\n+++ /dev/null\n+--- a/src/a.rs\n+@@ -1 +1 @@\n+diff --git a/b b/b\n+\\ fake marker\n x.unwrap();\n+y.unwrap();\n";
    let changed = parse(diff);
    assert_eq!(lines(&changed, "src/a.rs"), [1..=5, 7..=7]);
    assert_eq!(changed.files().collect::<Vec<_>>(), ["src/a.rs"]);
}

#[test]
fn quoted_paths_are_unquoted_as_git_quotes_them() {
    let diff = concat!(
        "diff --git \"a/src/caf\\303\\251.rs\" \"b/src/caf\\303\\251.rs\"\n",
        "new file mode 100644\n--- /dev/null\n+++ \"b/src/caf\\303\\251.rs\"\n@@ -0,0 +1 @@\n+x\n",
        "diff --git \"a/src/a \\\"q\\\" b\\\\c.rs\" \"b/src/a \\\"q\\\" b\\\\c.rs\"\n",
        "--- \"a/src/a \\\"q\\\" b\\\\c.rs\"\t\n+++ \"b/src/a \\\"q\\\" b\\\\c.rs\"\t\n@@ -1 +1 @@\n-x\n+y\n",
        "diff --git \"a/src/t\\tn\\nx.rs\" \"b/src/t\\tn\\nx.rs\"\n",
        "--- \"a/src/t\\tn\\nx.rs\"\n+++ \"b/src/t\\tn\\nx.rs\"\n@@ -1,0 +2 @@\n+z\n",
    );
    let changed = parse(diff);
    assert_eq!(
        changed.files().collect::<Vec<_>>(),
        ["src/a \"q\" b\\c.rs", "src/café.rs", "src/t\tn\nx.rs"]
    );
    assert!(changed.contains("src/café.rs", 1));
    assert!(changed.contains("src/a \"q\" b\\c.rs", 1));
    assert!(changed.contains("src/t\tn\nx.rs", 2));
}

#[test]
fn a_path_that_is_not_utf8_is_read_lossily() {
    let diff = "--- /dev/null\n+++ \"b/src/\\377.rs\"\n@@ -0,0 +1 @@\n+x\n";
    assert_eq!(parse(diff).files().collect::<Vec<_>>(), ["src/\u{fffd}.rs"]);
}

#[test]
fn no_newline_markers_are_not_lines() {
    let diff = "--- a/x.rs\n+++ b/x.rs\n@@ -1 +1,2 @@\n-a\n\\ No newline at end of file\n+a\n+b\n\\ No newline at end of file\ndiff --git a/y.rs b/y.rs\n--- a/y.rs\n+++ b/y.rs\n@@ -3,0 +4 @@\n+c\n";
    let changed = parse(diff);
    assert_eq!(lines(&changed, "x.rs"), [1..=2]);
    assert_eq!(lines(&changed, "y.rs"), [4..=4]);
}

#[test]
fn renames_copies_and_header_only_files() {
    let diff = concat!(
        "diff --git a/old.rs b/src/new.rs\nsimilarity index 90%\nrename from old.rs\nrename to src/new.rs\n",
        "--- a/old.rs\n+++ b/src/new.rs\n@@ -3,0 +4 @@\n+added\n",
        "diff --git a/moved.rs b/\"sp ace.rs\"\nsimilarity index 100%\nrename from moved.rs\nrename to \"sp\\303\\251ace.rs\"\n",
        "diff --git a/c.rs b/copy.rs\nsimilarity index 100%\ncopy from c.rs\ncopy to copy.rs\n",
        "diff --git a/run.rs b/run.rs\nold mode 100644\nnew mode 100755\n",
        "diff --git a/empty.rs b/empty.rs\nnew file mode 100644\nindex 0000000..e69de29\n",
        "diff --git a/gone.rs b/gone.rs\ndeleted file mode 100644\nindex e69de29..0000000\n",
        "diff --git a/blob.rs b/blob.rs\nindex 1..2 100644\nBinary files a/blob.rs and b/blob.rs differ\n",
    );
    let changed = parse(diff);
    assert_eq!(
        changed.files().collect::<Vec<_>>(),
        [
            "blob.rs",
            "copy.rs",
            "empty.rs",
            "run.rs",
            "spéace.rs",
            "src/new.rs"
        ]
    );
    assert_eq!(lines(&changed, "src/new.rs"), [4..=4]);
    assert!(lines(&changed, "run.rs").is_empty() && changed.touches("run.rs"));
    assert!(changed.contains("blob.rs", 1) && changed.contains("blob.rs", 1 << 40));
    assert!(!changed.touches("gone.rs") && !changed.touches("old.rs"));
}

#[test]
fn crlf_diffs_read_as_lf_ones() {
    let diff = "diff --git \"a/caf\\303\\251.rs\" \"b/caf\\303\\251.rs\"\nnew file mode 100644\n--- /dev/null\n+++ \"b/caf\\303\\251.rs\"\n@@ -0,0 +1,2 @@\n+a\n+b\ndiff --git a/m.rs b/m.rs\nold mode 100644\nnew mode 100755\n";
    let crlf = diff.replace('\n', "\r\n");
    assert_eq!(parse(&crlf), parse(diff));
    assert_eq!(lines(&parse(&crlf), "café.rs"), [1..=2]);
    assert!(parse(&crlf).touches("m.rs"));
}

#[test]
fn the_same_file_twice_merges_its_lines() {
    let diff = "--- a/x.rs\n+++ b/x.rs\n@@ -9,0 +10,2 @@\n+a\n+b\n--- a/x.rs\n+++ b/x.rs\n@@ -1,0 +2 @@\n+c\n@@ -11,0 +12 @@\n+d\n";
    let changed = parse(diff);
    assert_eq!(lines(&changed, "x.rs"), [2..=2, 10..=12]);
    assert!(changed.overlaps("x.rs", 3, 10) && changed.overlaps("x.rs", 1, 2));
    assert!(!changed.overlaps("x.rs", 3, 9) && !changed.overlaps("x.rs", 13, 99));
    assert!(!changed.overlaps("y.rs", 1, 99));
}

#[test]
fn empty_is_no_change_and_garbage_is_an_error() {
    assert_eq!(parse(""), ChangedLines::default());
    assert_eq!(parse(" \n\r\n"), ChangedLines::default());
    for garbage in [
        "hello\n",
        "@@ -1 +1 @@\n-a\n+b\n",
        "\u{1b}]8;;x\u{7}\n",
        "--- \n+++ \n",
    ] {
        assert!(ChangedLines::parse(garbage).is_err(), "{garbage:?}");
    }
    let error = ChangedLines::parse("diff --git a/x b/x\nnew file mode 10\u{1b}[31m\n")
        .unwrap_err()
        .to_string();
    assert!(
        !error.contains('\u{1b}'),
        "control characters are escaped: {error}"
    );
}

#[test]
fn hunks_that_disagree_with_their_header_are_errors() {
    for diff in [
        // Truncated: the header promises three new lines.
        "--- a/x.rs\n+++ b/x.rs\n@@ -0,0 +1,3 @@\n+a\n",
        "diff --git a/x.rs b/x.rs\n--- a/x.rs\n+++ b/x.rs\n@@ -0,0 +1,2 @@\n+a\ndiff --git a/y.rs b/y.rs\n--- a/y.rs\n+++ b/y.rs\n@@ -1 +1 @@\n-q\n+r\n",
        "--- a/x.rs\n+++ b/x.rs\n@@ -1,2 +1,2 @@\n-a\n+b\n",
        // Counts that overflow.
        "--- a/x.rs\n+++ b/x.rs\n@@ -0,0 +18446744073709551615,2 @@\n+a\n+b\n",
        "--- a/x.rs\n+++ b/x.rs\n@@ -0,0 +1,99999999999999999999999 @@\n+a\n",
        "--- a/x.rs\n+++ b/x.rs\n@@ -a +b @@\n+a\n",
        "--- a/x.rs\n+++ b/x.rs\n@@ -1 +1\n+a\n",
    ] {
        assert!(ChangedLines::parse(diff).is_err(), "{diff:?}");
    }
}

#[test]
fn paths_that_leave_the_project_are_errors() {
    for path in ["/etc/passwd", "b/../x.rs", "../x.rs", "b/src/../../x.rs"] {
        let diff = format!("--- a/x.rs\n+++ {path}\n@@ -0,0 +1 @@\n+a\n");
        let error = ChangedLines::parse(&diff).unwrap_err();
        assert!(matches!(error, ChangesError::OutsidePath { .. }), "{path}");
    }
    let diff = "diff --git a/x b/x\nrename from x\nrename to ../y\n";
    assert!(ChangedLines::parse(diff).is_err());
}

#[test]
fn no_cut_of_a_real_diff_panics() {
    let diff = concat!(
        "diff --git \"a/src/caf\\303\\251.rs\" \"b/src/caf\\303\\251.rs\"\nnew file mode 100644\n",
        "index 0000000..1111111\n--- /dev/null\n+++ \"b/src/caf\\303\\251.rs\"\t\n@@ -0,0 +1,2 @@ fn x\n",
        "++ /dev/null\n+x\n\\ No newline at end of file\n",
        "diff --git a/a.rs b/b.rs\nsimilarity index 50%\nrename from a.rs\nrename to b.rs\n",
        "--- a/a.rs\n+++ b/b.rs\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n d\n",
        "diff --git a/i.png b/i.png\nBinary files a/i.png and b/i.png differ\n",
    );
    assert_eq!(lines(&parse(diff), "src/café.rs"), [1..=2]);
    let bytes = diff.as_bytes();
    for end in 0..=bytes.len() {
        let _ = ChangedLines::parse_bytes(bytes.get(..end).unwrap_or_default());
        let mut flipped = bytes.to_vec();
        if let Some(byte) = flipped.get_mut(end) {
            *byte ^= 0x20;
        }
        let _ = ChangedLines::parse_bytes(&flipped);
    }
}
