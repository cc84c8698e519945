<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>Roomcast::Chat::ChatClient</name>
    <message>
        <source>This server needs a login token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The login token has expired.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The login token is not valid yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The login token was not issued by this server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That is not a login token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The login token is signed in a way this server refuses.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The login token is too large.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server only accepts login tokens that expire.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That nickname cannot be used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room names are 1 to 64 characters, without surrounding spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That room name is reserved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are in too many rooms already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server has too many rooms already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are not in that room.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is too long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server could not store the message; it was not sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That person is no longer connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That person is offline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are sending too fast; wait a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The topic is too long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That topic cannot be used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server did not answer in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected to the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server is shutting down.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server ended the session.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection was lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server stopped answering.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::Chat::Discovery::DiscoveryBeacon</name>
    <message>
        <source>There is no server port to announce on the local network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not open a UDP socket to announce the server on the local network: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not announce the server on the local network: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::Chat::Discovery::DiscoveryBrowser</name>
    <message>
        <source>Could not listen for servers on the local network (UDP port %1): %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::EngineIO::Client</name>
    <message>
        <source>The server did not begin the session with a handshake.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server sent an invalid handshake: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server closed the connection during the handshake.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server sent no ping for %1 ms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No transport is enabled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot connect to &quot;%1&quot;: the URL must be http, https, ws or wss with a host.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::EngineIO::PollingTransport</name>
    <message>
        <source>The server sent more than %1 bytes in one polling response.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server sent an invalid polling payload: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The secure connection to %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server answered HTTP %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request to %1 timed out after %2 ms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not reach %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::EngineIO::Server</name>
    <message>
        <source>Cannot read a PEM certificate from %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the key file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read an unencrypted RSA or EC private key from %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The TLS certificate or its private key is missing or invalid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot accept a connection: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port %1 is already in use on %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not allowed to listen on port %1 of %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot listen on port %1 of %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::EngineIO::WebSocketTransport</name>
    <message>
        <source>The WebSocket connection to %1 timed out after %2 ms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server sent an invalid WebSocket frame: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The secure connection to %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not reach %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server sent a message larger than %1 bytes.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::Server::HistoryStore</name>
    <message>
        <source>No history directory given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create the history directory %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Qt SQLite driver (QSQLITE) is not available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the history database: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot configure the history database: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot start a transaction: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create the schema version table: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the schema version: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history database has schema version %1; this build knows %2 at most</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot migrate the history schema to version %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot record the schema version: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot commit the schema: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>room name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sender name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>socket id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot store the message: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the room&apos;s history: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sender&apos;s user id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>recipient&apos;s user id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot store the private message: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the conversation: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read undelivered messages: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot mark messages delivered: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history store is not open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is too long (%1 characters, at most %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 is too long (%2 characters, at most %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message has no valid timestamp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A page holds 1 to %1 messages, not %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::SocketIO::Manager</name>
    <message>
        <source>Connection timed out</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::SocketIO::Socket</name>
    <message>
        <source>The server answered CONNECT without a socket id: it does not speak Socket.IO v5 (socket.io 3 or later)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::ChatSession</name>
    <message>
        <source>Could not load older messages: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not join %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not leave %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::Composer</name>
    <message>
        <source>Write a message…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter sends; Shift+Enter starts a new line</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::ConnectionStatus</name>
    <message>
        <source>Retry now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnected: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to %1 as %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 Reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 Reconnecting in %n s…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::ConversationDelegate</name>
    <message>
        <source>%1+</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>left the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>private</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>muted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>muted · %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::ConversationPane</name>
    <message>
        <source>Filter conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join a room, or create one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rooms on this server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unmute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close conversation</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::ConversationView</name>
    <message>
        <source>Topic…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the room&apos;s topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private conversation with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has left the server: new messages cannot reach them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are not in this room.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline: what you send now goes out when the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message %1 privately</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topic of #%1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not set the topic: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::HostController</name>
    <message>
        <source>Port %1 is already in use, perhaps by another Roomcast. Choose another port, or 0 for any free port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This user may not open port %1. Choose a port above 1023, or 0 for any free port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The room&apos;s history cannot be kept in %1 (%2). Check that the folder can be written to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot host on port %1 (%2). Choose another port, or 0 for any free port.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::HostDialog</name>
    <message>
        <source>&amp;Open: anyone on the network can join with a nickname</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Protected: only people with an invite link can join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host a Room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any free port</source>
        <extracomment>The port spin box at 0</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port the others connect to. 0 picks any free port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What &quot;Rooms on your network&quot; shows on the others&apos; computers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Room:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who can join:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name on the network:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name the room: it is what the others join.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Not a room name: 1 to %n printable characters, without invisible ones.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>A free port is picked when hosting starts; the invite link carries it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ports below 1024 usually need administrator rights.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::HostingPanel</name>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Stop hosting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The address of this computer the link points to. Pick the one of the network the others are on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new link with a new token; links already given keep working until they expire.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Invite link:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 The invite links stop working when Roomcast is closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Link copied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anyone who opens this link joins the room.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This link lets its holders in until %1. &quot;New link&quot; makes another; the links already given keep working until they expire.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not hosting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosting &quot;%1&quot; on port %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping: telling everyone the room closes…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protected: only people with an invite link can join.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open: anyone on your network can join with a nickname.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::JoinDialog</name>
    <message>
        <source>This is too long to be a login token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This token is not signed the way Roomcast servers sign theirs (HS256).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This token does not say who it is for: its &quot;%1&quot; is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This token&apos;s &quot;%1&quot; is not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This token cannot be read: it is damaged or incomplete. Paste it again, whole.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remember this token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join a Room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>192.168.1.20:3000, or paste an invite link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How others see you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional: the room to join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste a login token, if the server asks for one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keeps the token in the system keychain for this server, never in a file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Nickname:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R&amp;oom:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Token:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the server&apos;s address, or paste an invite link.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is not a login token: a token is three groups of letters, digits, &apos;-&apos; and &apos;_&apos;, separated by dots.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This token, for %1, expired on %2. Ask for a new one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logs in as %1 (id %2), until %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logs in as %1 (id %2). It does not expire.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (from your keychain)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a nickname: it is how others see you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>A nickname has at most %n characters.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>A nickname cannot contain control characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Not a room name: 1 to %n printable characters.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::JoinUrl</name>
    <message>
        <source>The link is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The link is too long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The link contains spaces, control characters or other characters a link cannot hold.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only roomcast://, roomcasts://, http:// and https:// links can be opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The link contains a user name or password, which Roomcast links never do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The link contains a &apos;#&apos; part, which Roomcast links never do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The link does not name a valid server: use a plain host name or an IP address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The link&apos;s port must be a number from 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The link has a path after the server; a Roomcast link ends with the server or &quot;/&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The link&apos;s room or token is empty or badly encoded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The link carries something other than a room and a token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The link names a room or a token more than once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The link&apos;s room name is not valid: 1 to %n characters, printable, without surrounding spaces.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The link&apos;s token is not a login token.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::MainWindow</name>
    <message numerus="yes">
        <source>You are sending too fast: wait %n second(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Roomcast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R&amp;ooms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Join or create a room…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Browse rooms…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Leave this room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;You</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change &amp;nickname…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Roomcast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Roomcast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Roomcast %1&lt;/h3&gt;&lt;p&gt;Chat rooms on your network, on a native Socket.IO engine (Engine.IO 4, Socket.IO 5).&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This link cannot be opened: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not log in to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join a room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room name (a new name creates the room):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change nickname</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your nickname:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not change your nickname: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are now %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(%1) %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Join a server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Host a room…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Stop hosting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosting &amp;panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are already hosting a room: stop it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You stopped hosting.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::MemberPane</name>
    <message>
        <source>Double-click someone to talk privately</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Members (%n)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::MessageDelegate</name>
    <message>
        <source>Sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · sent while you were away</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::Notifier</name>
    <message>
        <source>Show Roomcast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Roomcast: %n unread message(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Roomcast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in #%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (private)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::RecentServers</name>
    <message>
        <source>%1 — %2</source>
        <extracomment>A recent server in the start page&apos;s list: &quot;192.168.1.20:3000 — general&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nickname: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last joined: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::RoomBrowser</name>
    <message numerus="yes">
        <source>#%1 · %n member(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · joined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rooms on this server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room name: pick one below, or type a new one to create it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No rooms yet: type a name to create the first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::SingleInstance</name>
    <message>
        <source>Roomcast is already running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not open the channel other Roomcast windows use to reach this one: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::StartPage</name>
    <message>
        <source>&amp;Host a room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run a chat room on this computer for the people on your network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Join a room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to a server by its address, an invite link or a token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The servers you join are listed here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the Join dialog with this server filled in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Forget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rooms on your network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2 (invite only)</source>
        <extracomment>A room heard on the LAN: &quot;Ann&apos;s room — 192.168.1.20:3000&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rooms on your network cannot be found: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No room heard on your network yet. Rooms hosted with Roomcast on this network show up here by themselves.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::TokenStore</name>
    <message>
        <source>The system keychain is not available; the token is kept for this session only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system keychain is not available; the hosting secret is kept for this session only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That is not a server address, so its token cannot be kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system keychain refused access; the token is kept for this session only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system keychain refused access; the hosting secret is kept for this session only.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Use the translation for LOCALE (e.g. fr).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A room to join: roomcast://host:port/?room=R</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host a room on this computer at once.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
