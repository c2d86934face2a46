"""The settings files, read strictly: anything the app would half-understand keeps it locked."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.settings_file import read_file, read_settings

AUTH = """
[auth]
redirect_uri = "https://sparkwatch.example.com/oauth2callback"
cookie_secret = "not-a-real-secret"
client_id = "id"
client_secret = "not-a-real-secret"
server_metadata_url = "https://accounts.google.com/.well-known/openid-configuration"
"""


def write(tmp_path: Path, text: str | bytes, name: str = "secrets.toml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def test_a_clear_file_is_read_in_full(tmp_path):
    path = write(tmp_path, AUTH + '\n[access]\nallowed = ["maya@agency.com", "@brand.com"]\n')
    read = read_settings([str(path)])
    assert read.problem is None and read.found
    assert read.values["access"]["allowed"] == ["maya@agency.com", "@brand.com"]
    assert read.values["auth"]["client_id"] == "id"


def test_missing_default_files_mean_nothing_is_configured(tmp_path):
    defaults = [str(tmp_path / "nope.toml"), str(tmp_path / ".streamlit" / "secrets.toml")]
    read = read_settings(defaults, optional=defaults)
    assert read == read_settings([])
    assert read.problem is None and not read.found and read.values == {}


def test_later_files_win_per_section_as_streamlit_merges_them(tmp_path):
    first = write(tmp_path, '[app]\ntimezone = "Europe/Berlin"\n[sheet]\ntab = "A"\n', "a.toml")
    second = write(tmp_path, '[sheet]\ntab = "B"\n', "b.toml")
    read = read_settings([str(first), str(second)])
    assert read.values == {"app": {"timezone": "Europe/Berlin"}, "sheet": {"tab": "B"}}


def test_a_byte_order_mark_is_accepted(tmp_path):
    """Windows Notepad saves one; tomllib (and Streamlit) refuse it as 'not valid TOML'."""
    path = write(tmp_path, b"\xef\xbb\xbf" + AUTH.encode())
    read = read_file(path)
    assert read.problem is None and read.values["auth"]["client_id"] == "id" and read.marked
    assert not read_file(write(tmp_path, AUTH, "plain.toml")).marked


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (AUTH.replace("[auth]", "[Auth]"), "has [Auth] on line 2: section names are lower case, write [auth]"),
        ('[sheet]\nurl = "x"\n[sheet.auth]\nclient_id = "id"\n', "puts [auth] inside [sheet] on line 3"),
        ('[access]\nallowed = ["maya@agency.com"]\n', "sets allowed on line 2 under [access], but there is no [auth]"),
        ('[access]\nreveal_codes = "maya@agency.com"\n', "sets reveal_codes on line 2 under [access]"),
        (AUTH + "\n[access]\nallowed = 5\n", "sets allowed on line 10 to something that is not a list"),
        (AUTH + '\n[access]\nallowed = ["a@b.com", 5]\n', "sets allowed on line 10 to something"),
        ('[sheet]\nurl = https://x\n', "is not valid TOML (line 2)"),
    ],
)
def test_what_the_app_would_misread_locks_it_naming_the_line(tmp_path, text, says):
    read = read_file(write(tmp_path, text))
    assert read.problem is not None and says in read.problem
    assert read.problem.startswith("The app's settings file secrets.toml ")
    assert read.problem.endswith("Until it is fixed, the app stays locked.")


def test_reveal_without_login_needs_no_auth(tmp_path):
    """The opt-in for a single-user machine is meant for the case without a login."""
    assert read_file(write(tmp_path, "[access]\nreveal_without_login = true\n")).problem is None


def test_text_that_is_not_utf8_names_its_line(tmp_path):
    read = read_file(write(tmp_path, b'[sheet]\ntab = "ok"\nurl = "caf\xe9"\n'))
    assert read.problem is not None and "not UTF-8 text from line 3" in read.problem


def test_a_broken_symlink_locks_the_app(tmp_path):
    link = tmp_path / "secrets.toml"
    link.symlink_to(tmp_path / "gone.toml")
    read = read_settings([str(link)])
    assert read.problem is not None and "is a link to a file that is not there" in read.problem


def test_a_path_streamlit_would_not_read_locks_the_app(tmp_path):
    """Docker and Compose mount secrets as /run/secrets/<name>, without .toml: Streamlit skips it silently."""
    mounted = write(tmp_path, AUTH, "sparkwatch")
    read = read_settings([str(mounted)])
    assert read.problem is not None and "does not end in .toml" in read.problem


def test_a_named_path_that_is_missing_locks_the_app(tmp_path):
    read = read_settings([str(tmp_path / "run" / "secrets.toml")])
    assert read.problem is not None and "is not there (is the volume mounted?)" in read.problem


@pytest.mark.parametrize("name", ["secrets.toml", "secrets"])
def test_a_folder_where_the_file_should_be_locks_the_app(tmp_path, name):
    (tmp_path / name).mkdir()
    read = read_settings([str(tmp_path / name)])
    assert read.problem is not None and "is a folder" in read.problem
