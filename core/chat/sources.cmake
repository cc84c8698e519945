target_sources(roomcast_core PRIVATE
    chat/jwt.h chat/jwt.cpp
    chat/protocol.h
)
