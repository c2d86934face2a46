import pytest

from lib.access import can_reveal, is_allowed, policy_from_secrets

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


def test_no_auth_means_open_link_and_everyone_may_reveal():
    policy = policy_from_secrets({"access": {"allowed": ["maya@agency.com"]}})
    assert not policy.login_required
    assert is_allowed(policy, None) and can_reveal(policy, None)


def test_reveal_list_alone_does_not_let_anyone_in():
    policy = policy_from_secrets({"auth": {}, "access": {"reveal_codes": ["maya@agency.com"]}})
    assert not is_allowed(policy, "maya@agency.com")
    assert not can_reveal(policy, "maya@agency.com")


@pytest.mark.parametrize("written", ["maya@agency.com", ["maya@agency.com"], 3])
def test_an_access_setting_that_is_not_a_table_lets_nobody_in_rather_than_failing(written):
    policy = policy_from_secrets({"auth": {}, "access": written})
    assert policy.login_required
    assert not is_allowed(policy, "maya@agency.com")
