<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>Roomcast::Chat::ChatClient</name>
    <message>
        <source>This server needs a login token.</source>
        <translation>Ce serveur demande un jeton de connexion.</translation>
    </message>
    <message>
        <source>The login token has expired.</source>
        <translation>Le jeton de connexion a expiré.</translation>
    </message>
    <message>
        <source>The login token is not valid yet.</source>
        <translation>Le jeton de connexion n’est pas encore valide.</translation>
    </message>
    <message>
        <source>The login token was not issued by this server.</source>
        <translation>Le jeton de connexion n’a pas été émis par ce serveur.</translation>
    </message>
    <message>
        <source>That is not a login token.</source>
        <translation>Ce n’est pas un jeton de connexion.</translation>
    </message>
    <message>
        <source>The login token is signed in a way this server refuses.</source>
        <translation>Le jeton de connexion est signé d’une manière que ce serveur refuse.</translation>
    </message>
    <message>
        <source>The login token is too large.</source>
        <translation>Le jeton de connexion est trop volumineux.</translation>
    </message>
    <message>
        <source>This server only accepts login tokens that expire.</source>
        <translation>Ce serveur n’accepte que des jetons de connexion à durée limitée.</translation>
    </message>
    <message>
        <source>That nickname cannot be used.</source>
        <translation>Ce pseudo ne peut pas être utilisé.</translation>
    </message>
    <message>
        <source>Room names are 1 to 64 characters, without surrounding spaces.</source>
        <translation>Un nom de salon compte de 1 à 64 caractères, sans espace au début ni à la fin.</translation>
    </message>
    <message>
        <source>That room name is reserved.</source>
        <translation>Ce nom de salon est réservé.</translation>
    </message>
    <message>
        <source>You are in too many rooms already.</source>
        <translation>Vous êtes déjà dans trop de salons.</translation>
    </message>
    <message>
        <source>This server has too many rooms already.</source>
        <translation>Ce serveur compte déjà trop de salons.</translation>
    </message>
    <message>
        <source>You are not in that room.</source>
        <translation>Vous n’êtes pas dans ce salon.</translation>
    </message>
    <message>
        <source>The message is empty.</source>
        <translation>Le message est vide.</translation>
    </message>
    <message>
        <source>The message is too long.</source>
        <translation>Le message est trop long.</translation>
    </message>
    <message>
        <source>The server could not store the message; it was not sent.</source>
        <translation>Le serveur n’a pas pu enregistrer le message&#xa0;; il n’a pas été envoyé.</translation>
    </message>
    <message>
        <source>That person is no longer connected.</source>
        <translation>Cette personne n’est plus connectée.</translation>
    </message>
    <message>
        <source>That person is offline.</source>
        <translation>Cette personne est hors ligne.</translation>
    </message>
    <message>
        <source>You are sending too fast; wait a moment.</source>
        <translation>Vous envoyez trop vite&#xa0;; patientez un instant.</translation>
    </message>
    <message>
        <source>The topic is too long.</source>
        <translation>Le sujet est trop long.</translation>
    </message>
    <message>
        <source>That topic cannot be used.</source>
        <translation>Ce sujet ne peut pas être utilisé.</translation>
    </message>
    <message>
        <source>The server did not answer in time.</source>
        <translation>Le serveur n’a pas répondu à temps.</translation>
    </message>
    <message>
        <source>Not connected to the server.</source>
        <translation>Non connecté au serveur.</translation>
    </message>
    <message>
        <source>The server is shutting down.</source>
        <translation>Le serveur est en cours d’arrêt.</translation>
    </message>
    <message>
        <source>The server ended the session.</source>
        <translation>Le serveur a mis fin à la session.</translation>
    </message>
    <message>
        <source>The connection was lost.</source>
        <translation>La connexion a été perdue.</translation>
    </message>
    <message>
        <source>The connection failed.</source>
        <translation>La connexion a échoué.</translation>
    </message>
    <message>
        <source>The server stopped answering.</source>
        <translation>Le serveur ne répond plus.</translation>
    </message>
    <message>
        <source>The message could not be sent (a bad message id).</source>
        <translation>Le message n’a pas pu être envoyé (identifiant de message invalide).</translation>
    </message>
</context>
<context>
    <name>Roomcast::Chat::Discovery::DiscoveryBeacon</name>
    <message>
        <source>There is no server port to announce on the local network.</source>
        <translation>Aucun port de serveur à annoncer sur le réseau local.</translation>
    </message>
    <message>
        <source>Could not open a UDP socket to announce the server on the local network: %1</source>
        <translation>Impossible d’ouvrir un socket UDP pour annoncer le serveur sur le réseau local&#xa0;: %1</translation>
    </message>
    <message>
        <source>Could not announce the server on the local network: %1</source>
        <translation>Impossible d’annoncer le serveur sur le réseau local&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Roomcast::Chat::Discovery::DiscoveryBrowser</name>
    <message>
        <source>Could not listen for servers on the local network (UDP port %1): %2</source>
        <translation>Impossible de rechercher les serveurs du réseau local (port UDP %1)&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>Roomcast::EngineIO::Client</name>
    <message>
        <source>The server did not begin the session with a handshake.</source>
        <translation>Le serveur n’a pas ouvert la session par une poignée de main.</translation>
    </message>
    <message>
        <source>The server sent an invalid handshake: %1</source>
        <translation>Le serveur a envoyé une poignée de main invalide&#xa0;: %1</translation>
    </message>
    <message>
        <source>The server closed the connection during the handshake.</source>
        <translation>Le serveur a fermé la connexion pendant la poignée de main.</translation>
    </message>
    <message>
        <source>The server sent no ping for %1 ms.</source>
        <translation>Le serveur n’a envoyé aucun ping pendant %1&#xa0;ms.</translation>
    </message>
    <message>
        <source>No transport is enabled.</source>
        <translation>Aucun transport n’est activé.</translation>
    </message>
    <message>
        <source>Cannot connect to &quot;%1&quot;: the URL must be http, https, ws or wss with a host.</source>
        <translation>Impossible de se connecter à «&#xa0;%1&#xa0;»&#xa0;: l’URL doit être en http, https, ws ou wss et comporter un hôte.</translation>
    </message>
</context>
<context>
    <name>Roomcast::EngineIO::PollingTransport</name>
    <message>
        <source>The server sent more than %1 bytes in one polling response.</source>
        <translation>Le serveur a envoyé plus de %1 octets dans une seule réponse de polling.</translation>
    </message>
    <message>
        <source>The server sent an invalid polling payload: %1</source>
        <translation>Le serveur a envoyé des données de polling invalides&#xa0;: %1</translation>
    </message>
    <message>
        <source>The secure connection to %1 failed: %2</source>
        <translation>La connexion sécurisée à %1 a échoué&#xa0;: %2</translation>
    </message>
    <message>
        <source>The server answered HTTP %1: %2</source>
        <translation>Le serveur a répondu HTTP %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>The request to %1 timed out after %2 ms.</source>
        <translation>La requête vers %1 a expiré au bout de %2&#xa0;ms.</translation>
    </message>
    <message>
        <source>Could not reach %1: %2</source>
        <translation>Impossible de joindre %1&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>Roomcast::EngineIO::Server</name>
    <message>
        <source>Cannot read a PEM certificate from %1.</source>
        <translation>Impossible de lire un certificat PEM dans %1.</translation>
    </message>
    <message>
        <source>Cannot open the key file %1: %2</source>
        <translation>Impossible d’ouvrir le fichier de clé %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Cannot read an unencrypted RSA or EC private key from %1.</source>
        <translation>Impossible de lire une clé privée RSA ou EC non chiffrée dans %1.</translation>
    </message>
    <message>
        <source>The TLS certificate or its private key is missing or invalid.</source>
        <translation>Le certificat TLS ou sa clé privée est absent ou invalide.</translation>
    </message>
    <message>
        <source>Cannot accept a connection: %1</source>
        <translation>Impossible d’accepter une connexion&#xa0;: %1</translation>
    </message>
    <message>
        <source>Port %1 is already in use on %2.</source>
        <translation>Le port %1 est déjà utilisé sur %2.</translation>
    </message>
    <message>
        <source>Not allowed to listen on port %1 of %2.</source>
        <translation>L’écoute sur le port %1 de %2 n’est pas autorisée.</translation>
    </message>
    <message>
        <source>Cannot listen on port %1 of %2: %3</source>
        <translation>Impossible d’écouter sur le port %1 de %2&#xa0;: %3</translation>
    </message>
</context>
<context>
    <name>Roomcast::EngineIO::WebSocketTransport</name>
    <message>
        <source>The WebSocket connection to %1 timed out after %2 ms.</source>
        <translation>La connexion WebSocket à %1 a expiré au bout de %2&#xa0;ms.</translation>
    </message>
    <message>
        <source>The server sent an invalid WebSocket frame: %1</source>
        <translation>Le serveur a envoyé une trame WebSocket invalide&#xa0;: %1</translation>
    </message>
    <message>
        <source>The secure connection to %1 failed: %2</source>
        <translation>La connexion sécurisée à %1 a échoué&#xa0;: %2</translation>
    </message>
    <message>
        <source>Could not reach %1: %2</source>
        <translation>Impossible de joindre %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>The server sent a message larger than %1 bytes.</source>
        <translation>Le serveur a envoyé un message de plus de %1 octets.</translation>
    </message>
</context>
<context>
    <name>Roomcast::Server::HistoryStore</name>
    <message>
        <source>No history directory given</source>
        <translation>Aucun dossier d’historique indiqué</translation>
    </message>
    <message>
        <source>Cannot create the history directory %1</source>
        <translation>Impossible de créer le dossier d’historique %1</translation>
    </message>
    <message>
        <source>The Qt SQLite driver (QSQLITE) is not available</source>
        <translation>Le pilote SQLite de Qt (QSQLITE) n’est pas disponible</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>Impossible d’ouvrir %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Cannot open the history database: %1</source>
        <translation>Impossible d’ouvrir la base de l’historique&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cannot configure the history database: %1</source>
        <translation>Impossible de configurer la base de l’historique&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cannot start a transaction: %1</source>
        <translation>Impossible de démarrer une transaction&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cannot create the schema version table: %1</source>
        <translation>Impossible de créer la table de version du schéma&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cannot read the schema version: %1</source>
        <translation>Impossible de lire la version du schéma&#xa0;: %1</translation>
    </message>
    <message>
        <source>The history database has schema version %1; this build knows %2 at most</source>
        <translation>Le schéma de la base de l’historique est en version %1&#xa0;; ce programme ne gère que les versions jusqu’à %2</translation>
    </message>
    <message>
        <source>Cannot migrate the history schema to version %1: %2</source>
        <translation>Impossible de faire migrer le schéma de l’historique vers la version %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Cannot record the schema version: %1</source>
        <translation>Impossible d’enregistrer la version du schéma&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cannot commit the schema: %1</source>
        <translation>Impossible de valider le schéma&#xa0;: %1</translation>
    </message>
    <message>
        <source>room name</source>
        <translation>le nom du salon</translation>
    </message>
    <message>
        <source>user id</source>
        <translation>l’identifiant de l’utilisateur</translation>
    </message>
    <message>
        <source>sender name</source>
        <translation>le nom de l’expéditeur</translation>
    </message>
    <message>
        <source>socket id</source>
        <translation>l’identifiant de socket</translation>
    </message>
    <message>
        <source>Cannot store the message: %1</source>
        <translation>Impossible d’enregistrer le message&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cannot read the room&apos;s history: %1</source>
        <translation>Impossible de lire l’historique du salon&#xa0;: %1</translation>
    </message>
    <message>
        <source>sender&apos;s user id</source>
        <translation>l’identifiant utilisateur de l’expéditeur</translation>
    </message>
    <message>
        <source>recipient&apos;s user id</source>
        <translation>l’identifiant utilisateur du destinataire</translation>
    </message>
    <message>
        <source>Cannot store the private message: %1</source>
        <translation>Impossible d’enregistrer le message privé&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cannot read the conversation: %1</source>
        <translation>Impossible de lire la conversation&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cannot read undelivered messages: %1</source>
        <translation>Impossible de lire les messages non distribués&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cannot mark messages delivered: %1</source>
        <translation>Impossible de marquer les messages comme distribués&#xa0;: %1</translation>
    </message>
    <message>
        <source>The history store is not open</source>
        <translation>L’historique n’est pas ouvert</translation>
    </message>
    <message>
        <source>The message is too long (%1 characters, at most %2)</source>
        <translation>Le message est trop long (%1 caractères, %2 au plus)</translation>
    </message>
    <message>
        <source>The %1 is empty</source>
        <translation>Il manque %1</translation>
    </message>
    <message>
        <source>The %1 is too long (%2 characters, at most %3)</source>
        <translation>Trop de caractères dans %1 (%2, %3 au plus)</translation>
    </message>
    <message>
        <source>The message has no valid timestamp</source>
        <translation>Le message n’a pas d’horodatage valide</translation>
    </message>
    <message>
        <source>A page holds 1 to %1 messages, not %2</source>
        <translation>Une page contient de 1 à %1 messages, pas %2</translation>
    </message>
    <message>
        <source>client message id</source>
        <translation>identifiant de message du client</translation>
    </message>
    <message>
        <source>A message with that client message id is already stored in the room</source>
        <translation>Un message portant cet identifiant de message du client est déjà enregistré dans ce salon</translation>
    </message>
    <message>
        <source>Cannot look the message up: %1</source>
        <translation>Impossible de retrouver le message&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Roomcast::SocketIO::Manager</name>
    <message>
        <source>Connection timed out</source>
        <translation>Délai de connexion dépassé</translation>
    </message>
</context>
<context>
    <name>Roomcast::SocketIO::Socket</name>
    <message>
        <source>The server answered CONNECT without a socket id: it does not speak Socket.IO v5 (socket.io 3 or later)</source>
        <translation>Le serveur a répondu à CONNECT sans identifiant de socket&#xa0;: il ne parle pas Socket.IO v5 (socket.io 3 ou ultérieur)</translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::ChatSession</name>
    <message>
        <source>Could not load older messages: %1</source>
        <translation>Impossible de charger les messages plus anciens&#xa0;: %1</translation>
    </message>
    <message>
        <source>Could not join %1: %2</source>
        <translation>Impossible de rejoindre le salon %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Could not leave %1: %2</source>
        <translation>Impossible de quitter le salon %1&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::Composer</name>
    <message>
        <source>Write a message…</source>
        <translation>Écrivez un message…</translation>
    </message>
    <message>
        <source>Enter sends; Shift+Enter starts a new line</source>
        <translation>Entrée envoie&#xa0;; Maj+Entrée passe à la ligne</translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::ConnectionStatus</name>
    <message>
        <source>Retry now</source>
        <translation>Réessayer maintenant</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Non connecté</translation>
    </message>
    <message>
        <source>Disconnected: %1</source>
        <translation>Déconnecté&#xa0;: %1</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Connexion à %1…</translation>
    </message>
    <message>
        <source>Connected to %1 as %2</source>
        <translation>Connecté à %1 en tant que %2</translation>
    </message>
    <message>
        <source>Connection lost.</source>
        <translation>Connexion perdue.</translation>
    </message>
    <message>
        <source>%1 Reconnecting…</source>
        <translation>%1 Reconnexion…</translation>
    </message>
    <message numerus="yes">
        <source>%1 Reconnecting in %n s…</source>
        <translation>
            <numerusform>%1 Reconnexion dans %Ln&#xa0;s…</numerusform>
            <numerusform>%1 Reconnexion dans %Ln&#xa0;s…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::ConversationDelegate</name>
    <message>
        <source>%1+</source>
        <translation>%1+</translation>
    </message>
    <message>
        <source>left the server</source>
        <translation>a quitté le serveur</translation>
    </message>
    <message>
        <source>private</source>
        <translation>privé</translation>
    </message>
    <message>
        <source>muted</source>
        <translation>en sourdine</translation>
    </message>
    <message>
        <source>muted · %1</source>
        <translation>en sourdine · %1</translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::ConversationPane</name>
    <message>
        <source>Filter conversations</source>
        <translation>Filtrer les conversations</translation>
    </message>
    <message>
        <source>Join…</source>
        <translation>Rejoindre…</translation>
    </message>
    <message>
        <source>Join a room, or create one</source>
        <translation>Rejoindre un salon ou en créer un</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>The rooms on this server</source>
        <translation>Les salons de ce serveur</translation>
    </message>
    <message>
        <source>Unmute</source>
        <translation>Retirer la sourdine</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>Mettre en sourdine</translation>
    </message>
    <message>
        <source>Leave #%1</source>
        <translation>Quitter #%1</translation>
    </message>
    <message>
        <source>Close conversation</source>
        <translation>Fermer la conversation</translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::ConversationView</name>
    <message>
        <source>Topic…</source>
        <translation>Sujet…</translation>
    </message>
    <message>
        <source>Set the room&apos;s topic</source>
        <translation>Définir le sujet du salon</translation>
    </message>
    <message>
        <source>No conversation</source>
        <translation>Aucune conversation</translation>
    </message>
    <message>
        <source>#%1</source>
        <translation>#%1</translation>
    </message>
    <message>
        <source>Private conversation with %1</source>
        <translation>Conversation privée avec %1</translation>
    </message>
    <message>
        <source>%1 has left the server: new messages cannot reach them.</source>
        <translation>%1 a quitté le serveur&#xa0;: les nouveaux messages ne peuvent plus lui parvenir.</translation>
    </message>
    <message>
        <source>You are not in this room.</source>
        <translation>Vous n’êtes pas dans ce salon.</translation>
    </message>
    <message>
        <source>Offline: what you send now goes out when the connection is back.</source>
        <translation>Hors ligne&#xa0;: ce que vous envoyez maintenant partira au retour de la connexion.</translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation>Copier le texte</translation>
    </message>
    <message>
        <source>Retry sending</source>
        <translation>Réessayer l’envoi</translation>
    </message>
    <message>
        <source>Message %1 privately</source>
        <translation>Écrire en privé à %1</translation>
    </message>
    <message>
        <source>Room topic</source>
        <translation>Sujet du salon</translation>
    </message>
    <message>
        <source>Topic of #%1:</source>
        <translation>Sujet de #%1&#xa0;:</translation>
    </message>
    <message>
        <source>Could not set the topic: %1</source>
        <translation>Impossible de définir le sujet&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::HostController</name>
    <message>
        <source>Port %1 is already in use, perhaps by another Roomcast. Choose another port, or 0 for any free port.</source>
        <translation>Le port %1 est déjà utilisé, peut-être par un autre Roomcast. Choisissez un autre port, ou 0 pour n’importe quel port libre.</translation>
    </message>
    <message>
        <source>This user may not open port %1. Choose a port above 1023, or 0 for any free port.</source>
        <translation>Votre compte n’a pas le droit d’ouvrir le port %1. Choisissez un port au-dessus de 1023, ou 0 pour n’importe quel port libre.</translation>
    </message>
    <message>
        <source>The room&apos;s history cannot be kept in %1 (%2). Check that the folder can be written to.</source>
        <translation>L’historique du salon ne peut pas être conservé dans %1 (%2). Vérifiez que le dossier est accessible en écriture.</translation>
    </message>
    <message>
        <source>Cannot host on port %1 (%2). Choose another port, or 0 for any free port.</source>
        <translation>Impossible d’héberger sur le port %1 (%2). Choisissez un autre port, ou 0 pour n’importe quel port libre.</translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::HostDialog</name>
    <message>
        <source>&amp;Open: anyone on the network can join with a nickname</source>
        <translation>&amp;Ouvert&#xa0;: tout le réseau peut entrer avec un pseudo</translation>
    </message>
    <message>
        <source>&amp;Protected: only people with an invite link can join</source>
        <translation>&amp;Protégé&#xa0;: accès par lien d’invitation uniquement</translation>
    </message>
    <message>
        <source>Host a Room</source>
        <translation>Héberger un salon</translation>
    </message>
    <message>
        <source>Any free port</source>
        <extracomment>The port spin box at 0</extracomment>
        <translation>Tout port libre</translation>
    </message>
    <message>
        <source>The port the others connect to. 0 picks any free port.</source>
        <translation>Le port auquel les autres se connectent. 0 choisit n’importe quel port libre.</translation>
    </message>
    <message>
        <source>What &quot;Rooms on your network&quot; shows on the others&apos; computers.</source>
        <translation>Ce qu’affiche «&#xa0;Salons sur votre réseau&#xa0;» sur les ordinateurs des autres.</translation>
    </message>
    <message>
        <source>&amp;Host</source>
        <translation>&amp;Héberger</translation>
    </message>
    <message>
        <source>&amp;Room:</source>
        <translation>&amp;Salon&#xa0;:</translation>
    </message>
    <message>
        <source>Por&amp;t:</source>
        <translation>Por&amp;t&#xa0;:</translation>
    </message>
    <message>
        <source>Who can join:</source>
        <translation>Qui peut entrer&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Name on the network:</source>
        <translation>&amp;Nom sur le réseau&#xa0;:</translation>
    </message>
    <message>
        <source>Name the room: it is what the others join.</source>
        <translation>Nommez le salon&#xa0;: c’est lui que les autres rejoignent.</translation>
    </message>
    <message numerus="yes">
        <source>Not a room name: 1 to %n printable characters, without invisible ones.</source>
        <translation>
            <numerusform>Nom de salon invalide&#xa0;: de 1 à %Ln caractère imprimable, sans caractère invisible.</numerusform>
            <numerusform>Nom de salon invalide&#xa0;: de 1 à %Ln caractères imprimables, sans caractères invisibles.</numerusform>
        </translation>
    </message>
    <message>
        <source>A free port is picked when hosting starts; the invite link carries it.</source>
        <translation>Un port libre est choisi au démarrage de l’hébergement&#xa0;; le lien d’invitation l’indique.</translation>
    </message>
    <message>
        <source>Ports below 1024 usually need administrator rights.</source>
        <translation>Les ports inférieurs à 1024 demandent en général les droits d’administrateur.</translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::HostingPanel</name>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copier</translation>
    </message>
    <message>
        <source>&amp;New link</source>
        <translation>&amp;Nouveau lien</translation>
    </message>
    <message>
        <source>&amp;Stop hosting</source>
        <translation>Arrê&amp;ter l’hébergement</translation>
    </message>
    <message>
        <source>The address of this computer the link points to. Pick the one of the network the others are on.</source>
        <translation>L’adresse de cet ordinateur vers laquelle pointe le lien. Choisissez celle du réseau où se trouvent les autres.</translation>
    </message>
    <message>
        <source>A new link with a new token; links already given keep working until they expire.</source>
        <translation>Un nouveau lien avec un nouveau jeton&#xa0;; les liens déjà donnés restent valables jusqu’à leur expiration.</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>A&amp;dresse&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Invite link:</source>
        <translation>&amp;Invitation&#xa0;:</translation>
    </message>
    <message>
        <source>%1 The invite links stop working when Roomcast is closed.</source>
        <translation>%1 Les liens d’invitation cesseront de fonctionner à la fermeture de Roomcast.</translation>
    </message>
    <message>
        <source>Link copied.</source>
        <translation>Lien copié.</translation>
    </message>
    <message>
        <source>Anyone who opens this link joins the room.</source>
        <translation>Toute personne qui ouvre ce lien entre dans le salon.</translation>
    </message>
    <message>
        <source>This link lets its holders in until %1. &quot;New link&quot; makes another; the links already given keep working until they expire.</source>
        <translation>Ce lien donne accès au salon jusqu’au %1. «&#xa0;Nouveau lien&#xa0;» en crée un autre&#xa0;; les liens déjà donnés restent valables jusqu’à leur expiration.</translation>
    </message>
    <message>
        <source>Not hosting.</source>
        <translation>Aucun salon hébergé.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Démarrage…</translation>
    </message>
    <message>
        <source>Hosting &quot;%1&quot; on port %2.</source>
        <translation>Hébergement de «&#xa0;%1&#xa0;» sur le port %2.</translation>
    </message>
    <message>
        <source>Stopping: telling everyone the room closes…</source>
        <translation>Arrêt&#xa0;: chacun est prévenu de la fermeture du salon…</translation>
    </message>
    <message>
        <source>Protected: only people with an invite link can join.</source>
        <translation>Protégé&#xa0;: accès par lien d’invitation uniquement.</translation>
    </message>
    <message>
        <source>Open: anyone on your network can join with a nickname.</source>
        <translation>Ouvert&#xa0;: tout votre réseau peut entrer avec un pseudo.</translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::JoinDialog</name>
    <message>
        <source>This is too long to be a login token.</source>
        <translation>C’est trop long pour être un jeton de connexion.</translation>
    </message>
    <message>
        <source>This token is not signed the way Roomcast servers sign theirs (HS256).</source>
        <translation>Ce jeton n’est pas signé comme le font les serveurs Roomcast (HS256).</translation>
    </message>
    <message>
        <source>This token does not say who it is for: its &quot;%1&quot; is missing.</source>
        <translation>Ce jeton ne dit pas à qui il est destiné&#xa0;: son champ «&#xa0;%1&#xa0;» est absent.</translation>
    </message>
    <message>
        <source>This token&apos;s &quot;%1&quot; is not valid.</source>
        <translation>Le champ «&#xa0;%1&#xa0;» de ce jeton n’est pas valide.</translation>
    </message>
    <message>
        <source>This token cannot be read: it is damaged or incomplete. Paste it again, whole.</source>
        <translation>Ce jeton est illisible&#xa0;: il est abîmé ou incomplet. Collez-le de nouveau, en entier.</translation>
    </message>
    <message>
        <source>&amp;Remember this token</source>
        <translation>&amp;Mémoriser ce jeton</translation>
    </message>
    <message>
        <source>Join a Room</source>
        <translation>Rejoindre un salon</translation>
    </message>
    <message>
        <source>192.168.1.20:3000, or paste an invite link</source>
        <translation>192.168.1.20:3000, ou collez un lien d’invitation</translation>
    </message>
    <message>
        <source>How others see you</source>
        <translation>Le nom que les autres verront</translation>
    </message>
    <message>
        <source>Optional: the room to join</source>
        <translation>Facultatif&#xa0;: le salon à rejoindre</translation>
    </message>
    <message>
        <source>Paste a login token, if the server asks for one</source>
        <translation>Collez un jeton, si le serveur en demande un</translation>
    </message>
    <message>
        <source>Keeps the token in the system keychain for this server, never in a file.</source>
        <translation>Conserve le jeton de ce serveur dans le trousseau du système, jamais dans un fichier.</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>Se &amp;connecter</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Serveur&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Nickname:</source>
        <translation>&amp;Pseudo&#xa0;:</translation>
    </message>
    <message>
        <source>R&amp;oom:</source>
        <translation>Sa&amp;lon&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Token:</source>
        <translation>&amp;Jeton&#xa0;:</translation>
    </message>
    <message>
        <source>Enter the server&apos;s address, or paste an invite link.</source>
        <translation>Saisissez l’adresse du serveur, ou collez un lien d’invitation.</translation>
    </message>
    <message>
        <source>This is not a login token: a token is three groups of letters, digits, &apos;-&apos; and &apos;_&apos;, separated by dots.</source>
        <translation>Ce n’est pas un jeton de connexion&#xa0;: un jeton se compose de trois groupes de lettres, de chiffres, de «&#xa0;-&#xa0;» et de «&#xa0;_&#xa0;», séparés par des points.</translation>
    </message>
    <message>
        <source>This token, for %1, expired on %2. Ask for a new one.</source>
        <translation>Ce jeton, au nom de %1, a expiré le %2. Demandez-en un nouveau.</translation>
    </message>
    <message>
        <source>Logs in as %1 (id %2), until %3.</source>
        <translation>Ce jeton vous connecte en tant que %1 (identifiant %2), jusqu’au %3.</translation>
    </message>
    <message>
        <source>Logs in as %1 (id %2). It does not expire.</source>
        <translation>Ce jeton vous connecte en tant que %1 (identifiant %2). Il n’expire pas.</translation>
    </message>
    <message>
        <source>%1 (from your keychain)</source>
        <translation>%1 (depuis votre trousseau)</translation>
    </message>
    <message>
        <source>Choose a nickname: it is how others see you.</source>
        <translation>Choisissez un pseudo&#xa0;: c’est le nom que les autres verront.</translation>
    </message>
    <message numerus="yes">
        <source>A nickname has at most %n characters.</source>
        <translation>
            <numerusform>Un pseudo compte au plus %Ln caractère.</numerusform>
            <numerusform>Un pseudo compte au plus %Ln caractères.</numerusform>
        </translation>
    </message>
    <message>
        <source>A nickname cannot contain control characters.</source>
        <translation>Un pseudo ne peut pas contenir de caractères de contrôle.</translation>
    </message>
    <message numerus="yes">
        <source>Not a room name: 1 to %n printable characters.</source>
        <translation>
            <numerusform>Nom de salon invalide&#xa0;: de 1 à %Ln caractère imprimable.</numerusform>
            <numerusform>Nom de salon invalide&#xa0;: de 1 à %Ln caractères imprimables.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::JoinUrl</name>
    <message>
        <source>The link is empty.</source>
        <translation>Le lien est vide.</translation>
    </message>
    <message>
        <source>The link is too long.</source>
        <translation>Le lien est trop long.</translation>
    </message>
    <message>
        <source>The link contains spaces, control characters or other characters a link cannot hold.</source>
        <translation>Le lien contient des espaces, des caractères de contrôle ou d’autres caractères interdits dans un lien.</translation>
    </message>
    <message>
        <source>Only roomcast://, roomcasts://, http:// and https:// links can be opened.</source>
        <translation>Seuls les liens roomcast://, roomcasts://, http:// et https:// peuvent être ouverts.</translation>
    </message>
    <message>
        <source>The link contains a user name or password, which Roomcast links never do.</source>
        <translation>Le lien contient un nom d’utilisateur ou un mot de passe, ce que ne contient jamais un lien Roomcast.</translation>
    </message>
    <message>
        <source>The link contains a &apos;#&apos; part, which Roomcast links never do.</source>
        <translation>Le lien contient une partie «&#xa0;#&#xa0;», ce que ne contient jamais un lien Roomcast.</translation>
    </message>
    <message>
        <source>The link does not name a valid server: use a plain host name or an IP address.</source>
        <translation>Le lien ne désigne pas un serveur valide&#xa0;: utilisez un simple nom d’hôte ou une adresse IP.</translation>
    </message>
    <message>
        <source>The link&apos;s port must be a number from 1 to 65535.</source>
        <translation>Le port du lien doit être un nombre de 1 à 65535.</translation>
    </message>
    <message>
        <source>The link has a path after the server; a Roomcast link ends with the server or &quot;/&quot;.</source>
        <translation>Le lien comporte un chemin après le serveur&#xa0;; un lien Roomcast se termine par le serveur ou par «&#xa0;/&#xa0;».</translation>
    </message>
    <message>
        <source>The link&apos;s room or token is empty or badly encoded.</source>
        <translation>Le salon ou le jeton du lien est vide ou mal encodé.</translation>
    </message>
    <message>
        <source>The link carries something other than a room and a token.</source>
        <translation>Le lien contient autre chose qu’un salon et un jeton.</translation>
    </message>
    <message>
        <source>The link names a room or a token more than once.</source>
        <translation>Le lien indique un salon ou un jeton plus d’une fois.</translation>
    </message>
    <message numerus="yes">
        <source>The link&apos;s room name is not valid: 1 to %n characters, printable, without surrounding spaces.</source>
        <translation>
            <numerusform>Le nom de salon du lien n’est pas valide&#xa0;: de 1 à %Ln caractère imprimable, sans espace au début ni à la fin.</numerusform>
            <numerusform>Le nom de salon du lien n’est pas valide&#xa0;: de 1 à %Ln caractères imprimables, sans espace au début ni à la fin.</numerusform>
        </translation>
    </message>
    <message>
        <source>The link&apos;s token is not a login token.</source>
        <translation>Le jeton du lien n’est pas un jeton de connexion.</translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::MainWindow</name>
    <message numerus="yes">
        <source>You are sending too fast: wait %n second(s).</source>
        <translation>
            <numerusform>Vous envoyez trop vite&#xa0;: patientez %Ln seconde.</numerusform>
            <numerusform>Vous envoyez trop vite&#xa0;: patientez %Ln secondes.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Roomcast</source>
        <translation>&amp;Roomcast</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>Se &amp;déconnecter</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>R&amp;ooms</source>
        <translation>&amp;Salons</translation>
    </message>
    <message>
        <source>&amp;Join or create a room…</source>
        <translation>&amp;Rejoindre ou créer un salon…</translation>
    </message>
    <message>
        <source>&amp;Browse rooms…</source>
        <translation>&amp;Parcourir les salons…</translation>
    </message>
    <message>
        <source>&amp;Leave this room</source>
        <translation>&amp;Quitter ce salon</translation>
    </message>
    <message>
        <source>&amp;You</source>
        <translation>&amp;Profil</translation>
    </message>
    <message>
        <source>Change &amp;nickname…</source>
        <translation>Changer de &amp;pseudo…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>&amp;About Roomcast</source>
        <translation>À &amp;propos de Roomcast</translation>
    </message>
    <message>
        <source>About Roomcast</source>
        <translation>À propos de Roomcast</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Roomcast %1&lt;/h3&gt;&lt;p&gt;Chat rooms on your network, on a native Socket.IO engine (Engine.IO 4, Socket.IO 5).&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Roomcast %1&lt;/h3&gt;&lt;p&gt;Des salons de discussion sur votre réseau, sur un moteur Socket.IO natif (Engine.IO 4, Socket.IO 5).&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>À propos de &amp;Qt</translation>
    </message>
    <message>
        <source>This link cannot be opened: %1</source>
        <translation>Impossible d’ouvrir ce lien&#xa0;: %1</translation>
    </message>
    <message>
        <source>Could not log in to %1: %2</source>
        <translation>Impossible de se connecter à %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Join a room</source>
        <translation>Rejoindre un salon</translation>
    </message>
    <message>
        <source>Room name (a new name creates the room):</source>
        <translation>Nom du salon (un nouveau nom crée le salon)&#xa0;:</translation>
    </message>
    <message>
        <source>Change nickname</source>
        <translation>Changer de pseudo</translation>
    </message>
    <message>
        <source>Your nickname:</source>
        <translation>Votre pseudo&#xa0;:</translation>
    </message>
    <message>
        <source>Could not change your nickname: %1</source>
        <translation>Impossible de changer de pseudo&#xa0;: %1</translation>
    </message>
    <message>
        <source>You are now %1.</source>
        <translation>Vous êtes maintenant %1.</translation>
    </message>
    <message>
        <source>#%1</source>
        <translation>#%1</translation>
    </message>
    <message>
        <source>(%1)</source>
        <translation>(%1)</translation>
    </message>
    <message>
        <source>(%1) %2</source>
        <translation>(%1) %2</translation>
    </message>
    <message>
        <source>Hosting</source>
        <translation>Hébergement</translation>
    </message>
    <message>
        <source>&amp;Join a server…</source>
        <translation>&amp;Rejoindre un serveur…</translation>
    </message>
    <message>
        <source>&amp;Host a room…</source>
        <translation>&amp;Héberger un salon…</translation>
    </message>
    <message>
        <source>&amp;Stop hosting</source>
        <translation>&amp;Arrêter l’hébergement</translation>
    </message>
    <message>
        <source>Hosting &amp;panel</source>
        <translation>&amp;Panneau d’hébergement</translation>
    </message>
    <message>
        <source>You are already hosting a room: stop it first.</source>
        <translation>Vous hébergez déjà un salon&#xa0;: arrêtez-le d’abord.</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Hôte</translation>
    </message>
    <message>
        <source>Starting the server…</source>
        <translation>Démarrage du serveur…</translation>
    </message>
    <message>
        <source>You stopped hosting.</source>
        <translation>Vous avez arrêté l’hébergement.</translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::MemberPane</name>
    <message>
        <source>Double-click someone to talk privately</source>
        <translation>Double-cliquez sur une personne pour lui parler en privé</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Membres</translation>
    </message>
    <message numerus="yes">
        <source>Members (%n)</source>
        <translation>
            <numerusform>Membres (%Ln)</numerusform>
            <numerusform>Membres (%Ln)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::MessageDelegate</name>
    <message>
        <source>Sending…</source>
        <translation>Envoi…</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Envoyé</translation>
    </message>
    <message>
        <source>Not sent.</source>
        <translation>Non envoyé.</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>Non envoyé&#xa0;: %1</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Aujourd’hui</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Hier</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>%1 · sent while you were away</source>
        <translation>%1 · envoyé pendant votre absence</translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::Notifier</name>
    <message>
        <source>Show Roomcast</source>
        <translation>Afficher Roomcast</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message numerus="yes">
        <source>Roomcast: %n unread message(s)</source>
        <translation>
            <numerusform>Roomcast&#xa0;: %Ln message non lu</numerusform>
            <numerusform>Roomcast&#xa0;: %Ln messages non lus</numerusform>
        </translation>
    </message>
    <message>
        <source>Roomcast</source>
        <translation>Roomcast</translation>
    </message>
    <message>
        <source>%1 in #%2</source>
        <translation>%1 dans #%2</translation>
    </message>
    <message>
        <source>%1 (private)</source>
        <translation>%1 (privé)</translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::RecentServers</name>
    <message>
        <source>%1 — %2</source>
        <extracomment>A recent server in the start page&apos;s list: &quot;192.168.1.20:3000 — general&quot;</extracomment>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Nickname: %1</source>
        <translation>Pseudo&#xa0;: %1</translation>
    </message>
    <message>
        <source>Room: %1</source>
        <translation>Salon&#xa0;: %1</translation>
    </message>
    <message>
        <source>Last joined: %1</source>
        <translation>Dernière connexion&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::RoomBrowser</name>
    <message numerus="yes">
        <source>#%1 · %n member(s)</source>
        <translation>
            <numerusform>#%1 · %Ln membre</numerusform>
            <numerusform>#%1 · %Ln membres</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · joined</source>
        <translation>%1 · vous y êtes</translation>
    </message>
    <message>
        <source>Rooms on this server</source>
        <translation>Salons de ce serveur</translation>
    </message>
    <message>
        <source>Room name: pick one below, or type a new one to create it</source>
        <translation>Choisissez un salon, ou tapez un nom pour le créer</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>Rejoindre</translation>
    </message>
    <message>
        <source>No rooms yet: type a name to create the first.</source>
        <translation>Aucun salon pour l’instant&#xa0;: tapez un nom pour créer le premier.</translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::SingleInstance</name>
    <message>
        <source>Roomcast is already running.</source>
        <translation>Roomcast est déjà lancé.</translation>
    </message>
    <message>
        <source>Could not open the channel other Roomcast windows use to reach this one: %1</source>
        <translation>Impossible d’ouvrir le canal par lequel les autres fenêtres Roomcast joignent celle-ci&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::StartPage</name>
    <message>
        <source>Ho&amp;st a room</source>
        <translation>&amp;Héberger un salon</translation>
    </message>
    <message>
        <source>Run a chat room on this computer for the people on your network.</source>
        <translation>Ouvrez un salon de discussion sur cet ordinateur pour les personnes de votre réseau.</translation>
    </message>
    <message>
        <source>&amp;Join a room</source>
        <translation>Re&amp;joindre un salon</translation>
    </message>
    <message>
        <source>Connect to a server by its address, an invite link or a token.</source>
        <translation>Connectez-vous à un serveur par son adresse, un lien d’invitation ou un jeton.</translation>
    </message>
    <message>
        <source>The servers you join are listed here.</source>
        <translation>Les serveurs que vous rejoignez apparaissent ici.</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Modifier…</translation>
    </message>
    <message>
        <source>Open the Join dialog with this server filled in.</source>
        <translation>Ouvre la fenêtre «&#xa0;Rejoindre un salon&#xa0;» avec ce serveur déjà saisi.</translation>
    </message>
    <message>
        <source>&amp;Forget</source>
        <translation>&amp;Oublier</translation>
    </message>
    <message>
        <source>Rooms on your network</source>
        <translation>Salons sur votre réseau</translation>
    </message>
    <message>
        <source>Recent servers</source>
        <translation>Serveurs récents</translation>
    </message>
    <message>
        <source>%1 — %2 (invite only)</source>
        <extracomment>A room heard on the LAN: &quot;Ann&apos;s room — 192.168.1.20:3000&quot;</extracomment>
        <translation>%1 — %2 (sur invitation)</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Rooms on your network cannot be found: %1</source>
        <translation>Impossible de trouver les salons de votre réseau&#xa0;: %1</translation>
    </message>
    <message>
        <source>No room heard on your network yet. Rooms hosted with Roomcast on this network show up here by themselves.</source>
        <translation>Aucun salon repéré sur votre réseau pour l’instant. Les salons hébergés avec Roomcast sur ce réseau apparaissent ici d’eux-mêmes.</translation>
    </message>
</context>
<context>
    <name>Roomcast::Ui::TokenStore</name>
    <message>
        <source>The system keychain is not available; the token is kept for this session only.</source>
        <translation>Le trousseau du système n’est pas disponible&#xa0;; le jeton n’est conservé que pour cette session.</translation>
    </message>
    <message>
        <source>The system keychain is not available; the hosting secret is kept for this session only.</source>
        <translation>Le trousseau du système n’est pas disponible&#xa0;; le secret d’hébergement n’est conservé que pour cette session.</translation>
    </message>
    <message>
        <source>That is not a server address, so its token cannot be kept.</source>
        <translation>Ce n’est pas une adresse de serveur&#xa0;: son jeton ne peut donc pas être conservé.</translation>
    </message>
    <message>
        <source>The system keychain refused access; the token is kept for this session only.</source>
        <translation>Le trousseau du système a refusé l’accès&#xa0;; le jeton n’est conservé que pour cette session.</translation>
    </message>
    <message>
        <source>The system keychain refused access; the hosting secret is kept for this session only.</source>
        <translation>Le trousseau du système a refusé l’accès&#xa0;; le secret d’hébergement n’est conservé que pour cette session.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Use the translation for LOCALE (e.g. fr).</source>
        <translation>Utiliser la traduction de LOCALE (par exemple fr).</translation>
    </message>
    <message>
        <source>A room to join: roomcast://host:port/?room=R</source>
        <translation>Un salon à rejoindre&#xa0;: roomcast://hôte:port/?room=R</translation>
    </message>
    <message>
        <source>Host a room on this computer at once.</source>
        <translation>Héberger tout de suite un salon sur cet ordinateur.</translation>
    </message>
</context>
</TS>
