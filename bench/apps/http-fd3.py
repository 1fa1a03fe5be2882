# The Python row of the fork-mode reload bench, standard library only: serves on fd 3 when a manager hands it a socket
# (LISTEN_FDS, as tend's `listen` does), else binds $PORT itself (PM2). On SIGINT/SIGTERM it stops taking connections,
# answers the requests it has with `Connection: close`, and exits once its connections are done.
import os
import signal
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

stopping = threading.Event()
body = b'ok\n'


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    timeout = 2

    def do_GET(self):
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(body)))
        if stopping.is_set():
            self.send_header('Connection', 'close')
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


held = os.environ.get('LISTEN_PID') == str(os.getpid()) and os.environ.get('LISTEN_FDS') == '1'
server = ThreadingHTTPServer(('127.0.0.1', int(os.environ.get('PORT', '0'))), Handler, bind_and_activate=not held)
if held:
    server.socket = socket.socket(fileno=3)
server.daemon_threads = False


def stop(signum, frame):
    stopping.set()
    threading.Thread(target=server.shutdown).start()


signal.signal(signal.SIGINT, stop)
signal.signal(signal.SIGTERM, stop)
server.serve_forever(poll_interval=0.1)
server.server_close()
