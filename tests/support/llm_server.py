"""Serves a .gguf model over llama.cpp's OpenAI-compatible HTTP API, bound to 127.0.0.1.

    python llm_server.py MODEL.gguf PORT ALIAS [THREADS]

Runs until SIGTERM or SIGINT, or until its stdin closes (the test process that started it died).
Ready when GET /health answers {"status":"ok"}. Started by tests/it/llm.rs.
"""
import os
import signal
import sys
import threading

import xllamacpp


def main():
    model, port, alias = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    # Blocked before any thread starts, so sigwait below is the one place they arrive.
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM, signal.SIGINT])
    params = xllamacpp.CommonParams()
    params.model.path = model
    params.model_alias = {alias}  # a set of names
    params.n_ctx = 4096
    params.hostnames = ["127.0.0.1"]
    params.port = port
    params.cpuparams.n_threads = threads
    server = xllamacpp.Server(params)  # noqa: F841 (serves while referenced)
    print(f"serving {alias} on 127.0.0.1:{port}", flush=True)

    def watch_stdin():
        # The parent holds our stdin; EOF means it is gone and so must we be.
        while sys.stdin.buffer.read(4096):
            pass
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch_stdin, daemon=True).start()
    signal.sigwait([signal.SIGTERM, signal.SIGINT])
    os._exit(0)


if __name__ == "__main__":
    main()
