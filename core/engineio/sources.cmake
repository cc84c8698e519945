target_sources(roomcast_core PRIVATE
    engineio/logging.h
    engineio/packet.h engineio/packet.cpp
    engineio/transport.h engineio/transport.cpp
    engineio/writebuffer.h engineio/writebuffer.cpp
    engineio/pollingtransport.h engineio/pollingtransport.cpp
    engineio/websockettransport.h engineio/websockettransport.cpp
    engineio/client.h engineio/client.cpp
    engineio/serverhttp.h engineio/serverhttp.cpp
)
