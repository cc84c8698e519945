target_sources(roomcast_core PRIVATE
    engineio/logging.h
    engineio/packet.h engineio/packet.cpp
    engineio/transport.h engineio/transport.cpp
    engineio/writebuffer.h engineio/writebuffer.cpp
    engineio/pollingtransport.h engineio/pollingtransport.cpp
    engineio/websockettransport.h engineio/websockettransport.cpp
    engineio/client.h engineio/client.cpp
    engineio/serverhttp.h engineio/serverhttp.cpp
    engineio/handshakequery.h engineio/handshakequery.cpp
    engineio/server.h engineio/server.cpp
    engineio/serverconnection_p.h engineio/serverconnection.cpp
    engineio/servertransport_p.h engineio/servertransport.cpp
    engineio/serverpolling_p.h engineio/serverpolling.cpp
    engineio/websocketframe.h engineio/websocketframe.cpp
    engineio/serverwebsocket_p.h engineio/serverwebsocket.cpp
    engineio/serversocket_p.h engineio/serversocket.cpp
)
if(UNIX)
    target_sources(roomcast_core PRIVATE engineio/serverrawwebsocket_p.h engineio/serverrawwebsocket.cpp)
endif()
