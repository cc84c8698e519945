target_sources(roomcast_core PRIVATE
    engineio/logging.h
    engineio/packet.h engineio/packet.cpp
    engineio/serverhttp.h engineio/serverhttp.cpp
)
