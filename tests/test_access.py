import pytest

from lib.access import can_reveal, is_allowed, policy_from_secrets, signed_in_email

SECRETS = {
    "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x"},
    "access": {"allowed": ["Maya@Agency.com", "@brand.com", "client.io"], "reveal_codes": ["maya@agency.com"]},
}


@pytest.mark.parametrize(
    ("email", "allowed", "reveal"),
    [
        ("maya@agency.com", True, True),
        ("MAYA@agency.com ", True, True),
        ("jonas@agency.com", False, False),
        ("sam@brand.com", True, False),
        ("sam@sub.brand.com", False, False),
        ("eve@client.io", True, False),
        ("eve@notbrand.com", False, False),
        ("brand.com", False, False),
        ("", False, False),
        (None, False, False),
    ],
)
def test_allowlist_and_reveal_list(email, allowed, reveal):
    policy = policy_from_secrets(SECRETS)
    assert policy.login_required
    assert is_allowed(policy, email) is allowed
    assert can_reveal(policy, email) is reveal


def test_no_auth_means_an_open_link_where_nobody_sees_whole_codes():
    """Secure default: a shared link with no login must not hand out credentials."""
    policy = policy_from_secrets({"access": {"allowed": ["maya@agency.com"], "reveal_codes": ["maya@agency.com"]}})
    assert not policy.login_required and not policy.reveal_without_login
    assert is_allowed(policy, None)
    assert not can_reveal(policy, None)
    assert not can_reveal(policy, "maya@agency.com")


def test_no_auth_reveals_only_when_the_admin_opts_in_with_a_real_boolean():
    policy = policy_from_secrets({"access": {"reveal_without_login": True}})
    assert policy.reveal_without_login
    assert can_reveal(policy, None)


@pytest.mark.parametrize("written", ["true", "yes", 1, "1", ["true"], {"on": True}, False, None])
def test_anything_but_a_toml_true_keeps_codes_masked_without_login(written):
    policy = policy_from_secrets({"access": {"reveal_without_login": written}})
    assert not policy.reveal_without_login
    assert not can_reveal(policy, None)


def test_the_opt_in_changes_nothing_once_a_login_is_configured():
    policy = policy_from_secrets({**SECRETS, "access": {**SECRETS["access"], "reveal_without_login": True}})
    assert not can_reveal(policy, None)
    assert not can_reveal(policy, "sam@brand.com")
    assert can_reveal(policy, "maya@agency.com")


def test_reveal_list_alone_does_not_let_anyone_in():
    policy = policy_from_secrets({"auth": {}, "access": {"reveal_codes": ["maya@agency.com"]}})
    assert not is_allowed(policy, "maya@agency.com")
    assert not can_reveal(policy, "maya@agency.com")


@pytest.mark.parametrize("written", ["maya@agency.com", ["maya@agency.com"], 3])
def test_an_access_setting_that_is_not_a_table_lets_nobody_in_rather_than_failing(written):
    policy = policy_from_secrets({"auth": {}, "access": written})
    assert policy.login_required
    assert not is_allowed(policy, "maya@agency.com")


@pytest.mark.parametrize(
    ("email", "entry"),
    [
        ("straße@agency.com", "strasse@agency.com"),  # casefold would make these equal
        ("strasse@agency.com", "straße@agency.com"),
        ("\u212aai@agency.com", "kai@agency.com"),  # Kelvin sign K; NFKC or casefold would fold it to k
        ("kai@agency.com", "\u212aai@agency.com"),
        ("ﬁona@agency.com", "fiona@agency.com"),  # the ﬁ ligature; NFKC folds it
        ("\u212bsa@agency.com", "\u00e5sa@agency.com"),  # Angstrom sign Å vs å
        ("jose\u0301@agency.com", "jos\u00e9@agency.com"),  # decomposed é vs composed é
        ("sam@straße.de", "@strasse.de"),
        ("sam@\u212aelvin.io", "@kelvin.io"),
        ("sam@kelvin.io", "@\u212aelvin.io"),
    ],
)
def test_addresses_match_only_after_plain_lowercasing(email, entry):
    """Unicode folding would let a look-alike address in; only str.lower() applies."""
    policy = policy_from_secrets({"auth": {}, "access": {"allowed": [entry], "reveal_codes": [entry]}})
    assert not is_allowed(policy, email)
    assert not can_reveal(policy, email)


def test_plain_lowercasing_still_matches_non_ascii_addresses():
    policy = policy_from_secrets({"auth": {}, "access": {"allowed": ["JÖRG@Agency.com", "@BRÄND.de"]}})
    assert is_allowed(policy, "jörg@agency.com")
    assert is_allowed(policy, "Sam@bränd.de")


@pytest.mark.parametrize(
    ("user", "email"),
    [
        ({"is_logged_in": True, "email": "maya@agency.com"}, "maya@agency.com"),  # provider says nothing
        ({"is_logged_in": True, "email": "maya@agency.com", "email_verified": True}, "maya@agency.com"),
        ({"is_logged_in": True, "email": "maya@agency.com", "email_verified": "true"}, "maya@agency.com"),
        ({"is_logged_in": True, "email": "maya@agency.com", "email_verified": False}, None),
        ({"is_logged_in": True, "email": "maya@agency.com", "email_verified": "false"}, None),
        ({"is_logged_in": True, "email": "maya@agency.com", "email_verified": 0}, None),
        ({"is_logged_in": True, "email": "maya@agency.com", "email_verified": None}, None),
        ({"is_logged_in": True, "email": "maya@agency.com", "email_verified": ""}, None),
        ({"is_logged_in": False, "email": "maya@agency.com", "email_verified": True}, None),
        ({"is_logged_in": True}, None),
        ({}, None),
    ],
)
def test_signed_in_email_needs_a_login_and_a_verified_address_where_the_provider_says(user, email):
    assert signed_in_email(user) == email


def test_an_unverified_address_on_both_lists_neither_gets_in_nor_reveals():
    policy = policy_from_secrets(SECRETS)
    email = signed_in_email({"is_logged_in": True, "email": "maya@agency.com", "email_verified": False})
    assert not is_allowed(policy, email)
    assert not can_reveal(policy, email)
