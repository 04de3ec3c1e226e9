"""What the cluster tests (scripts/cluster.sh failover-test, pitr-test) share: the
cluster's own verbs, and the folder's setup before a load runs through HAProxy."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "crash"))
from crash_test import Api, add_operators_and_clients, lift_settlement_limits, prepare  # noqa: E402


def cluster(script, *args):
    return subprocess.run([script, *args], check=True, capture_output=True, text=True).stdout.strip()


def folder_cli(essc, data):
    """cli(*args): a verb of `essc` on the folder, its standard output; raises when it fails."""
    env = dict(os.environ, ESSC_LOG_LEVEL="warn")
    return lambda *args: subprocess.run([essc, *args, "--data-dir", data], env=env, check=True,
                                        capture_output=True, text=True).stdout


def prepare_cluster(script, essc, data, port, ports, ledger):
    """The folder's operators and clients, every essc process restarted to read the lifted
    daily limit, and the crash test's cardholders made through the first process.
    Returns (api, channel, institutions, clerk, holders); `api` goes through HAProxy on
    `port` with the same client's nonces, whichever process they reach."""
    lift_settlement_limits(data)
    channel, institutions = add_operators_and_clients(essc, data, dict(os.environ, ESSC_LOG_LEVEL="warn"),
                                                      folder_cli(essc, data))
    for i in range(1, len(ports) + 1):
        cluster(script, "stop-essc", str(i))
        cluster(script, "start-essc", str(i))
    direct = Api(ports[0])
    api = Api(port)
    api.next_nonce = direct.next_nonce
    clerk, holders = prepare(direct, ports[0], ledger, channel)
    return api, channel, institutions, clerk, holders
