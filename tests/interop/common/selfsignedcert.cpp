#include "selfsignedcert.h"

#include <QFile>
#include <QProcess>

SelfSignedCertificate::SelfSignedCertificate()
{
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                   QStringLiteral("-nodes"), QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"),
                   QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                   QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost"), QStringLiteral("-keyout"), keyPath(),
                   QStringLiteral("-out"), certificatePath()});
    if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0) {
        m_error = QStringLiteral("openssl failed: %1 %2")
                      .arg(openssl.errorString(), QString::fromUtf8(openssl.readAllStandardError()));
        return;
    }
    QFile file(certificatePath());
    if (!file.open(QIODevice::ReadOnly)) {
        m_error = file.errorString();
        return;
    }
    m_certificate = QSslCertificate(&file, QSsl::Pem);
    if (m_certificate.isNull())
        m_error = QStringLiteral("openssl wrote a certificate Qt cannot read");
}
