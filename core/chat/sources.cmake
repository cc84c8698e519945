target_sources(roomcast_core PRIVATE
    chat/jwt.h chat/jwt.cpp
    chat/protocol.h
    chat/discovery.h chat/discovery.cpp
)
