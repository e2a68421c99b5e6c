"""The action server, refusing every call that lacks Rasa's shared secret.

``python -m actions._server --port 5055`` runs rasa-sdk's server (same arguments as
``python -m rasa_sdk``) with one addition: every request but ``GET /health`` must carry
``X-Troly06-Action-Token`` equal to the shared secret (``TROLY06_ACTION_TOKEN``; outside
production, the machine's local secret). Rasa sends it from ``endpoints.yml``. Without it,
anyone who reaches the port could run any action with a tracker of their choosing.
"""

from __future__ import annotations

import hmac
import logging
import os
from typing import Any

TOKEN_HEADER = "X-Troly06-Action-Token"
log = logging.getLogger(__name__)


def create_app(action_executor: Any, cors_origins: Any = None, auto_reload: bool = False,
               endpoints: str = "endpoints.yml", keep_alive_timeout: int = 120) -> Any:
    """rasa-sdk's app with the token check (module level: Sanic pickles the factory)."""
    from rasa_sdk.endpoint import create_app_for_serve
    from sanic import response

    from troly06.config import get_settings

    token = get_settings().secret("action").encode()
    app = create_app_for_serve(action_executor, cors_origins=cors_origins,
                               auto_reload=auto_reload, endpoints=endpoints,
                               keep_alive_timeout=keep_alive_timeout)

    @app.on_request
    async def require_token(request: Any) -> Any:
        if request.method == "GET" and request.path == "/health":
            return None
        given = (request.headers.get(TOKEN_HEADER) or "").encode()
        if not hmac.compare_digest(given, token):
            log.warning("action server call refused: missing or wrong token")
            return response.json({"error": "missing or wrong action-server token"}, status=401)
        return None

    return app


def main() -> None:
    """Parse rasa-sdk's arguments and serve with :func:`create_app`."""
    from functools import partial

    from rasa_sdk import utils
    from rasa_sdk.endpoint import create_argument_parser
    from rasa_sdk.executor import ActionExecutor
    from sanic import Sanic
    from sanic.worker.loader import AppLoader

    args = create_argument_parser().parse_args()
    utils.configure_colored_logging(args.loglevel)
    utils.update_sanic_log_level()
    executor = ActionExecutor()
    executor.register_package(args.actions_module or args.actions)
    loader = AppLoader(factory=partial(create_app, executor, cors_origins=args.cors,
                                       auto_reload=args.auto_reload, endpoints=args.endpoints))
    app = loader.load()
    app.prepare(host=os.environ.get("SANIC_HOST", "127.0.0.1"), port=args.port,
                workers=utils.number_of_sanic_workers())
    Sanic.serve(primary=app, app_loader=loader)


if __name__ == "__main__":
    main()
