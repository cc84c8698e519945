target_sources(roomcast_core PRIVATE
    socketio/logging.h
    socketio/json.h socketio/json.cpp
    socketio/packet.h socketio/packet.cpp
    socketio/backoff.h
    socketio/client.h socketio/client.cpp
    socketio/adapter.h socketio/adapter.cpp
    socketio/ack.h socketio/ack.cpp
    socketio/connection_p.h
    socketio/server.h socketio/server.cpp
)
