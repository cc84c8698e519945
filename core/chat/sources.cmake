target_sources(roomcast_core PRIVATE
    chat/jwt.h chat/jwt.cpp
    chat/chatclient.h chat/chatclient.cpp
    chat/protocol.h
    chat/discovery.h chat/discovery.cpp
)
