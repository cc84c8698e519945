target_sources(roomcast_core PRIVATE
    eventloop/epolleventdispatcher.h eventloop/epolleventdispatcher.cpp
)
