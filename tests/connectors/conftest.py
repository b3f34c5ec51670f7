from tests.e2e.conftest import app_server, committed

__all__ = ["app_server", "committed"]
