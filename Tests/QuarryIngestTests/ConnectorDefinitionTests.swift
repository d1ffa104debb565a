import Foundation
import QuarryIngest
import QuarryTesting
import Testing

struct ConnectorDefinitionTests {
    private func parse(_ yaml: String) throws -> ConnectorDefinition {
        try ConnectorDefinition(configuration: try ConfigValue.parse(yaml: yaml))
    }

    private func error(_ yaml: String) -> String? {
        do {
            _ = try parse(yaml)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: ["filesystem", "s3", "web"])
    func theExampleFilesAreValid(type: String) throws {
        let path = SampleCorpus.repositoryRoot + "/connectors/examples/\(type).yaml"
        let definition = try parse(try String(contentsOfFile: path, encoding: .utf8))
        #expect(definition.type.rawValue == type)
        #expect(definition.schedule != nil)
    }

    @Test func errorsNameTheLineAndTheField() {
        #expect(
            error("name: x\ntype: s3\nendpoint: http://127.0.0.1:9000\nregion: us-east-1\nbuckt: docs\n")
                == "line 5: buckt: unknown setting; did you mean bucket?"
        )
        #expect(
            error("name: x\ntype: s3\nendpoint: http://127.0.0.1:9000\nregion: us-east-1\n")
                == "bucket: required (the bucket to index)"
        )
        #expect(
            error("name: x\ntype: filesystem\nroot: /srv\nschedul: 1h\n")
                == "line 4: schedul: unknown setting; did you mean schedule?"
        )
        #expect(
            error("name: x\ntype: filesystem\nroot: /srv\nschedule: 10s\n")
                == "schedule: the interval must be at least 1m"
        )
        #expect(
            error("name: x\ntype: filesystem\nroot: /srv\nchunk_size: big\n")
                == "line 4: chunk_size: expected a whole number, not \"big\""
        )
        #expect(error("name: x\ntype: ftp\n") == "type: unknown type \"ftp\"; expected filesystem, s3 or web")
        #expect(error("name: x\ntype: filesystem\nroot: srv\n") == "root: must be an absolute path")
        #expect(
            error("name: x\ntype: filesystem\nroot: /srv\ndefault_readers: [team:hr]\n")
                == "default_readers: invalid reader \"team:hr\": unknown kind \"team\"; expected user or group"
        )
        #expect(
            error("name: x\ntype: web\nseeds: [ftp://example.com/]\n")
                == "seeds: \"ftp://example.com/\" is not an http or https URL"
        )
        #expect(error("name: [x\n")?.hasPrefix("not valid YAML: line") == true)
        #expect(error("- just\n- a list\n") == "line 1: expected a map of settings (name: ..., type: ...)")
        let duplicate = error("name: x\nname: y\ntype: filesystem\nroot: /srv\n")
        #expect(duplicate?.hasPrefix("not valid YAML") == true && duplicate?.contains("'name'") == true)
    }

    @Test func secretsAreWriteOnly() throws {
        let definition = try parse(
            """
            name: bucket
            type: s3
            endpoint: https://s3.eu-west-2.amazonaws.com
            region: eu-west-2
            bucket: docs
            access_key_id: AKIAEXAMPLEKEY
            secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
            session_token: env:SESSION
            """
        )
        let shown = String(decoding: try definition.json(redacted: true), as: UTF8.self)
        #expect(!shown.contains("wJalrXUtnFEMI"))
        #expect(!shown.contains("AKIAEXAMPLEKEY"))
        #expect(shown.contains("env:SESSION"))
        #expect(!"\(definition)".contains("wJalrXUtnFEMI"), "the description masks secrets too")
        #expect(!String(reflecting: definition).contains("wJalrXUtnFEMI"))
        var dumped = ""
        dump(definition, to: &dumped)
        #expect(!dumped.contains("wJalrXUtnFEMI"))

        // Sending back what the API showed keeps the stored secrets.
        let resent = try ConnectorDefinition(
            configuration: try ConfigValue.parse(json: try definition.json(redacted: true)),
            existing: definition
        )
        #expect(resent == definition)
        // The stored form keeps them, so a sync can use them.
        #expect(try ConnectorDefinition.decode(json: try definition.encodedJSON()) == definition)
    }

    @Test func environmentSecretsAreReadAtSyncTime() throws {
        let secret = Secret(configurationText: "env:QUARRY_TEST_SECRET")
        #expect(
            try secret.resolve(field: "secret_access_key", environment: ["QUARRY_TEST_SECRET": "s3cr3t"]) == "s3cr3t"
        )
        #expect(throws: ConnectorDefinitionError.self) {
            try secret.resolve(field: "secret_access_key", environment: [:])
        }
        #expect(Secret(configurationText: "plain").description == "********")
    }

    @Test func theOldStoredFormStillReads() throws {
        let old =
            #"{"chunk_overlap":150,"chunk_size":1000,"default_readers":[],"name":"handbook","root":"/srv/handbook","type":"filesystem"}"#
        let definition = try ConnectorDefinition.decode(json: old)
        #expect(definition.root == "/srv/handbook")
        #expect(definition.schedule == nil)
    }
}
