"""Local stand-ins for outside services, served on 127.0.0.1 for the tests."""

from tests.fakes.fake_sheets import FAULTS, FakeSheets, service_account_info

__all__ = ["FAULTS", "FakeSheets", "service_account_info"]
