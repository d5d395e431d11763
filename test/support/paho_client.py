#!/usr/bin/python3
"""A small paho-mqtt (1.6) peer for integration tests: connect, run actions in order, disconnect.

Prints one JSON object per line: connected, subscribed, published, message, disconnected, error.
Exits 0 when every action completed, 1 otherwise (timeout, refused connection, lost connection).

Actions (run in order, each completes before the next starts):
  sub:QOS:TOPIC                 subscribe, wait for SUBACK
  pub:QOS:RETAIN:TOPIC:PAYLOAD  publish (RETAIN 0|1), wait until its QoS flow completes
  wait:N                        wait until N messages have been received in total

The network loop runs on this thread, so packets go out in the order paho queues them: a QoS 2 PUBCOMP
is always sent before the DISCONNECT that follows the last awaited message.

Example:
  /usr/bin/python3 paho_client.py --port 8083 --transport websockets --version 5 --id s1 sub:2:a/# wait:3
"""
import argparse
import json
import sys
import time

import paho.mqtt.client as mqtt

VERSIONS = {"31": mqtt.MQTTv31, "311": mqtt.MQTTv311, "5": mqtt.MQTTv5}


def emit(**obj):
    print(json.dumps(obj), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--transport", choices=["tcp", "websockets"], default="websockets")
    ap.add_argument("--path", default="/mqtt", help="WebSocket path")
    ap.add_argument("--version", choices=sorted(VERSIONS), default="311")
    ap.add_argument("--id", required=True, help="client id")
    ap.add_argument("--keepalive", type=int, default=60)
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds for the whole run")
    ap.add_argument("actions", nargs="*")
    args = ap.parse_args()

    version = VERSIONS[args.version]
    deadline = time.monotonic() + args.timeout
    state = {"connected": False, "rc": None, "closed": False, "messages": 0, "subacks": {}}

    if version == mqtt.MQTTv5:
        client = mqtt.Client(client_id=args.id, protocol=version, transport=args.transport)
    else:
        client = mqtt.Client(client_id=args.id, clean_session=True, protocol=version, transport=args.transport)
    if args.transport == "websockets":
        client.ws_set_options(path=args.path)

    def on_connect(_c, _u, flags, rc, _props=None):
        state["rc"] = int(rc) if not hasattr(rc, "value") else rc.value
        state["connected"] = state["rc"] == 0
        emit(event="connected", rc=state["rc"], sessionPresent=bool(flags.get("session present")))

    def on_subscribe(_c, _u, mid, granted, _props=None):
        state["subacks"][mid] = [g.value if hasattr(g, "value") else g for g in granted]

    def on_message(_c, _u, msg):
        state["messages"] += 1
        out = {"event": "message", "topic": msg.topic, "payload": msg.payload.decode("utf-8", "replace"),
               "qos": msg.qos, "retain": bool(msg.retain)}
        props = getattr(msg, "properties", None)
        if props is not None:
            if getattr(props, "ContentType", None) is not None:
                out["contentType"] = props.ContentType
            if getattr(props, "UserProperty", None) is not None:
                out["userProperties"] = [list(p) for p in props.UserProperty]
        emit(**out)

    def on_disconnect(_c, _u, rc, _props=None):
        state["closed"] = True

    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    client.on_message = on_message
    client.on_disconnect = on_disconnect

    def pump(done, what):
        while not done():
            if state["closed"]:
                raise RuntimeError("connection closed while waiting for " + what)
            if time.monotonic() > deadline:
                raise RuntimeError("timed out waiting for " + what)
            rc = client.loop(timeout=0.05)
            if rc != mqtt.MQTT_ERR_SUCCESS and not done():
                raise RuntimeError("network loop failed (%s) while waiting for %s" % (mqtt.error_string(rc), what))

    try:
        client.connect(args.host, args.port, keepalive=args.keepalive)
        pump(lambda: state["rc"] is not None, "CONNACK")
        if not state["connected"]:
            raise RuntimeError("connection refused, code %s" % state["rc"])
        for action in args.actions:
            op, _, rest = action.partition(":")
            if op == "sub":
                qos, topic = rest.split(":", 1)
                rc, mid = client.subscribe(topic, int(qos))
                if rc != mqtt.MQTT_ERR_SUCCESS:
                    raise RuntimeError("subscribe failed: " + mqtt.error_string(rc))
                pump(lambda: mid in state["subacks"], "SUBACK")
                emit(event="subscribed", topic=topic, granted=state["subacks"][mid])
            elif op == "pub":
                qos, retain, topic, payload = rest.split(":", 3)
                info = client.publish(topic, payload.encode("utf-8"), int(qos), retain == "1")
                if info.rc != mqtt.MQTT_ERR_SUCCESS:
                    raise RuntimeError("publish failed: " + mqtt.error_string(info.rc))
                pump(info.is_published, "publish of %s to complete" % topic)
                emit(event="published", topic=topic, qos=int(qos), mid=info.mid)
            elif op == "wait":
                n = int(rest)
                pump(lambda: state["messages"] >= n, "%d messages" % n)
            else:
                raise RuntimeError("unknown action " + action)
        client.disconnect()
        pump(lambda: state["closed"], "the connection to close")
        emit(event="disconnected")
        return 0
    except Exception as e:  # report every failure as a JSON line and a non-zero exit
        emit(event="error", message=str(e))
        return 1


if __name__ == "__main__":
    sys.exit(main())
