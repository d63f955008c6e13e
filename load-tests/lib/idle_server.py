"""A server that does nothing but hold connections: it answers each request with a tiny 200 and keeps
the connection open. The idle scenario's control: the same idle connections as the service gets, held
by this process instead, show how much of the service's change is the machine holding that many
sockets rather than the service.

    python3 idle_server.py PORT
"""
import asyncio
import sys

RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


async def answer(reader, writer):
    try:
        while True:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(RESPONSE)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()


async def main(port):
    server = await asyncio.start_server(answer, "127.0.0.1", port, backlog=4096)
    print("listening", port, flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main(int(sys.argv[1])))
